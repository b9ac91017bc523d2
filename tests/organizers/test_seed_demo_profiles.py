"""The demo organizers pass the legal-profile checks the cabinet applies."""

import pytest
from django.core.management import call_command

from events.models import Event
from organizers.forms import OrganizerProfileForm
from organizers.models import Organizer

pytestmark = pytest.mark.django_db


def test_demo_organizers_have_valid_bin_iin_and_iban_and_seeding_twice_changes_nothing():
    call_command("seed_demo")
    call_command("seed_demo")
    organizers = list(Organizer.objects.order_by("slug"))
    assert len(organizers) == 3
    for organizer in organizers:
        data = {name: getattr(organizer, name) for name in OrganizerProfileForm.Meta.fields}
        form = OrganizerProfileForm(data, instance=organizer)
        assert form.is_valid(), (organizer.slug, form.errors)


def test_demo_has_events_that_organisations_may_buy_for():
    call_command("seed_demo")
    assert set(
        Event.objects.filter(allow_company_purchases=True).values_list("slug", flat=True)
    ) == {"dombra-night-almaty", "steppe-tech-conf"}
    assert Organizer.objects.get(slug="dombra-live").kbe == "17"
