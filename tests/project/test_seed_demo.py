import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from events.models import Event, TicketType
from organizers.models import Organizer

pytestmark = pytest.mark.django_db


def test_demo_data_is_idempotent_and_lists_events_on_the_home_page(client):
    call_command("seed_demo")
    counts = (Event.objects.count(), TicketType.objects.count(), Organizer.objects.count())
    call_command("seed_demo")
    assert (Event.objects.count(), TicketType.objects.count(), Organizer.objects.count()) == counts
    assert counts[0] >= 3
    html = client.get("/").content.decode()
    assert "Ночь домбры" in html
    assert "Dombra Night" in client.get("/en/").content.decode()


def test_demo_logins_work(client):
    call_command("seed_demo")
    from events.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERS

    for email in DEMO_USERS.values():
        assert client.login(
            username=get_user_model().objects.get(email=email).username, password=DEMO_PASSWORD
        )
    assert get_user_model().objects.get(email=DEMO_USERS["staff"]).is_staff
