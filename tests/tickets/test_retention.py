"""The retention schedule on the sales path: order IPs shortened, old orders made anonymous, and
the organizer's destruction of an event's personal data after it, with its preview, its
confirmation and the legal hold; every run is a row of the destruction trail."""

import os
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from organizers.models import Membership
from privacy.models import Claim, DestructionRecord
from privacy.services.ledger import ledger_verify
from tests.factories import MembershipFactory, TicketTypeFactory, UserFactory
from tests.privacy.conftest import make_blocked
from tests.tickets.factories import QuestionFactory
from tests.tickets.flows import place_order
from tests.tickets.helpers import PNG
from tickets.models import Answer, Order, Question
from tickets.tasks import tickets_retention_task

pytestmark = pytest.mark.django_db


def _age(order: Order, **delta) -> None:
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(**delta))


def _with_file_answer(order: Order) -> Answer:
    question = QuestionFactory(event=order.event, kind=Question.Kind.FILE, label="Справка")
    answer = Answer(order=order, question=question, file_name="scan.png")
    answer.file.save("scan.png", SimpleUploadedFile("scan.png", PNG), save=False)
    answer.save()
    return answer


def test_order_ips_past_their_period_are_shortened_to_the_network(settings):
    settings.RETENTION_ORDER_IP_DAYS = 365
    old, recent = place_order(email="old@example.kz"), place_order(email="new@example.kz")
    Order.objects.filter(pk=old.pk).update(ip_address="203.0.113.77")
    _age(old, days=400)
    assert tickets_retention_task.delay().get() == {"order_ips": 1, "orders": 0}
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, recent.ip_address) == ("203.0.113.0", "10.0.0.1")
    run = DestructionRecord.objects.get()
    assert (run.rule, run.rows, run.held, run.ran_by_label) == ("order_ip", 1, 0, "periodic task")
    assert tickets_retention_task.delay().get()["order_ips"] == 0  # done once
    assert DestructionRecord.objects.count() == 1


def test_orders_past_the_tax_period_are_anonymised_keeping_fiscal_fields(settings):
    settings.RETENTION_ORDERS_YEARS = 5
    order = place_order(email="aigerim@example.kz")
    answer = _with_file_answer(order)
    stored = answer.file.path
    Order.objects.filter(pk=order.pk).update(
        created_at=timezone.make_aware(datetime(timezone.now().year - 6, 12, 30))
    )
    kept = place_order(email="kept@example.kz")
    assert tickets_retention_task.delay().get()["orders"] == 1
    order.refresh_from_db()
    assert (order.surname, order.name, order.phone, order.email) == ("", "", "", "")
    assert order.ip_address is None and order.anonymised_at is not None
    assert order.total == Decimal("10000") and order.code and order.items.count() == 2
    assert not Answer.objects.filter(order=order).exists()
    assert not os.path.exists(stored)
    kept.refresh_from_db()
    assert kept.email == "kept@example.kz"
    run = DestructionRecord.objects.get(rule="orders")
    assert run.rows == 1 and "обезличен" in run.what


def test_a_blocked_buyer_and_an_open_claim_hold_their_orders(settings):
    settings.RETENTION_ORDERS_YEARS = 5
    long_ago = timezone.make_aware(datetime(timezone.now().year - 7, 3, 1))
    blocked = place_order(email="blocked@example.kz")
    claimant = place_order(email="claimant@example.kz")
    free = place_order(email="free@example.kz")
    Order.objects.update(created_at=long_ago)
    make_blocked(staff=UserFactory(is_staff=True), email="blocked@example.kz")
    Claim.objects.create(
        claimant_name="Айгерим", claimant_email="claimant@example.kz", topic="t", text="x"
    )
    assert tickets_retention_task.delay().get()["orders"] == 1
    emails = dict(Order.objects.values_list("pk", "email"))
    assert emails == {
        blocked.pk: "blocked@example.kz",
        claimant.pk: "claimant@example.kz",
        free.pk: "",
    }
    run = DestructionRecord.objects.get(rule="orders")
    assert (run.rows, run.held) == (1, 2)
    # the claim answered: the next night the claimant's order goes too
    Claim.objects.update(answered_on=timezone.localdate())
    assert tickets_retention_task.delay().get()["orders"] == 1
    assert Order.objects.get(pk=claimant.pk).email == ""


@pytest.fixture
def finished_event_order():
    ticket_type = TicketTypeFactory(price=Decimal("5000"), quantity=10)
    order = place_order({ticket_type: 1}, email="aigerim@example.kz")
    _with_file_answer(order)
    session = ticket_type.session
    session.starts_at = timezone.now() - timedelta(days=2)
    session.save()
    return order


def _url(event) -> str:
    return reverse("tickets:cabinet_event_data_destroy", args=[event.organizer.slug, event.slug])


def test_the_owner_sees_what_goes_confirms_and_the_run_is_in_the_trail(
    client, finished_event_order
):
    event = finished_event_order.event
    owner = MembershipFactory(organizer=event.organizer).user
    client.force_login(owner)
    page = client.get(_url(event))
    assert page.status_code == 200
    preview = page.content.decode()
    assert "1 заказ будет обезличен" in preview
    assert "Ответы на ваши вопросы и приложенные файлы: 1" in preview
    assert Order.objects.get().email == "aigerim@example.kz"  # a GET destroys nothing

    refused = client.post(_url(event), {})
    assert refused.status_code == 400 and Order.objects.get().email == "aigerim@example.kz"

    response = client.post(_url(event), {"confirm": "on"})
    assert response.status_code == 302
    order = Order.objects.get()
    assert (order.email, order.surname) == ("", "") and not Answer.objects.exists()
    run = DestructionRecord.objects.get()
    assert (run.rule, run.scope, run.ran_by, run.rows) == (
        "event_data",
        f"event:{event.slug}",
        owner,
        1,
    )
    assert all(report.broken is None for report in ledger_verify())


def test_a_manager_cannot_and_nothing_goes_before_the_event_is_over(client):
    ticket_type = TicketTypeFactory(price=Decimal("5000"), quantity=10)
    order = place_order({ticket_type: 1}, email="aigerim@example.kz")
    event = order.event
    manager = MembershipFactory(organizer=event.organizer, role=Membership.Role.MANAGER).user
    client.force_login(manager)
    assert client.post(_url(event), {"confirm": "on"}).status_code == 403
    client.force_login(MembershipFactory(organizer=event.organizer).user)
    page = client.get(_url(event)).content.decode()
    assert "ещё не закончилось" in page
    response = client.post(_url(event), {"confirm": "on"})
    assert response.status_code == 400
    assert Order.objects.get().email == "aigerim@example.kz"
    assert not DestructionRecord.objects.exists()


def test_a_blocked_buyer_is_kept_and_counted_in_the_preview(client, finished_event_order):
    event = finished_event_order.event
    make_blocked(staff=UserFactory(is_staff=True), email="aigerim@example.kz")
    client.force_login(MembershipFactory(organizer=event.organizer).user)
    page = client.get(_url(event)).content.decode()
    assert "1 запись сохраняется" in page
    client.post(_url(event), {"confirm": "on"})
    assert Order.objects.get().email == "aigerim@example.kz"
    assert DestructionRecord.objects.get().held == 1


def test_only_the_owner_finds_the_link_on_the_event_page(client, finished_event_order):
    event = finished_event_order.event
    page = reverse("events_cabinet:event_detail", args=[event.organizer.slug, event.pk])
    link = _url(event)
    client.force_login(MembershipFactory(organizer=event.organizer).user)
    assert link in client.get(page).content.decode()
    manager = MembershipFactory(organizer=event.organizer, role=Membership.Role.MANAGER).user
    client.force_login(manager)
    assert link not in client.get(page).content.decode()


def test_a_guests_consent_ends_when_all_their_orders_are_anonymised(settings):
    from privacy.models import ConsentRecord
    from privacy.services import consent_is_live

    settings.RETENTION_ORDERS_YEARS = 5
    long_ago = timezone.make_aware(datetime(timezone.now().year - 6, 6, 1))
    guest = place_order(email="guest@example.kz")
    returning = [place_order(email="again@example.kz"), place_order(email="again@example.kz")]
    member = UserFactory(email="member@example.kz")
    signed_in = place_order(email="member@example.kz", user=member)
    for order in (guest, returning[0], signed_in):
        Order.objects.filter(pk=order.pk).update(created_at=long_ago)
    assert tickets_retention_task.delay().get()["orders"] == 3

    ended = ConsentRecord.objects.filter(action="ended")
    assert list(ended.values_list("email", "purpose", "channel")) == [
        ("guest@example.kz", "processing_and_transfer", "retention")
    ]
    assert not consent_is_live(purpose="processing_and_transfer", email="guest@example.kz")
    # A guest with an order still kept, and a buyer with an account, keep their consent.
    assert consent_is_live(purpose="processing_and_transfer", email="again@example.kz")
    assert consent_is_live(purpose="processing_and_transfer", user=member)
    assert all(report.broken is None for report in ledger_verify())
    tickets_retention_task.delay().get()
    assert ended.count() == 1  # once
