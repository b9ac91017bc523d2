"""Refund rules per event: the category's default until the organizer sets their own; shown on
the event page, at checkout before the consent and in the ticket e-mail, in three languages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from events.services import session_update
from organizers.models import Membership
from tests.factories import CategoryFactory, MembershipFactory, SessionFactory, TicketTypeFactory
from tests.tickets.delivery_helpers import paid_order
from tests.tickets.helpers import choose
from tickets.models import RefundPolicy, SessionMove
from tickets.refunds.rules import RefundRules, refund_quote
from tickets.refunds.selectors import order_refund_quote, refund_rules_for_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def theatre_tt():
    category = CategoryFactory(slug="theatre", name_ru="Театр", name_kk="Театр", name_en="Theatre")
    return TicketTypeFactory(session__event__category=category, price=Decimal("10000"), quantity=10)


@pytest.fixture
def concert_tt():
    return TicketTypeFactory(price=Decimal("10000"), quantity=10)


def test_defaults_follow_the_category(theatre_tt, concert_tt):
    theatre = refund_rules_for_event(theatre_tt.session.event)
    concert = refund_rules_for_event(concert_tt.session.event)
    assert (theatre.hours_before, concert.hours_before) == (3, 48)
    assert theatre.is_default and concert.refundable
    with translation.override("ru"):
        assert "до 3 часов до начала" in theatre.lines[0]
        assert "до 2 дней до начала" in concert.lines[0]


def test_organizer_sets_rules_in_the_cabinet(client, concert_tt):
    event = concert_tt.session.event
    manager = MembershipFactory(organizer=event.organizer, role=Membership.Role.MANAGER).user
    client.force_login(manager)
    url = reverse("tickets:cabinet_refund_rules", args=[event.organizer.slug, event.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert "по умолчанию" in page.content.decode() and "до 2 дней" in page.content.decode()

    response = client.post(
        url,
        {
            "refundable": "on",
            "hours_before": "24",
            "fee_kind": "percent",
            "fee_value": "10",
            "moved_refund_days": "7",
        },
    )

    assert response.status_code == 302
    policy = RefundPolicy.objects.get(event=event)
    assert (policy.hours_before, policy.fee_kind, policy.fee_value) == (24, "percent", 10)
    assert not policy.needs_approval
    rules = refund_rules_for_event(event)
    assert not rules.is_default and rules.fee_for(Decimal("10000")) == Decimal("1000.00")


def test_a_percentage_over_100_is_refused_with_a_message(client, concert_tt):
    event = concert_tt.session.event
    owner = MembershipFactory(organizer=event.organizer, role=Membership.Role.OWNER).user
    client.force_login(owner)
    url = reverse("tickets:cabinet_refund_rules", args=[event.organizer.slug, event.slug])
    response = client.post(
        url,
        {
            "refundable": "on",
            "hours_before": "24",
            "fee_kind": "percent",
            "fee_value": "150",
            "moved_refund_days": "7",
        },
    )
    assert response.status_code == 400
    assert "не может быть больше 100" in response.content.decode()
    assert not RefundPolicy.objects.filter(event=event).exists()


def test_checkin_staff_may_not_change_the_rules(client, concert_tt):
    event = concert_tt.session.event
    staff = MembershipFactory(organizer=event.organizer, role=Membership.Role.CHECKIN).user
    client.force_login(staff)
    url = reverse("tickets:cabinet_refund_rules", args=[event.organizer.slug, event.slug])
    assert client.post(url, {"hours_before": "1", "fee_kind": "none"}).status_code == 403
    assert not RefundPolicy.objects.exists()


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "Возврат билетов"),
        ("kk", "Билеттерді қайтару"),
        ("en", "Returning tickets"),
    ],
)
def test_event_page_shows_the_rules_in_each_language(client, concert_tt, language, text):
    event = concert_tt.session.event
    RefundPolicy.objects.create(event=event, refundable=False)
    with translation.override(language):
        url = event.get_absolute_url()
    html = client.get(url).content.decode()
    assert 'data-testid="refund-rules"' in html and text in html
    with translation.override(language):
        assert refund_rules_for_event(event).lines[0] in html


def test_checkout_shows_the_rules_before_the_consent(client, policy, concert_tt):
    RefundPolicy.objects.create(
        event=concert_tt.session.event, hours_before=5, fee_kind="fixed", fee_value=500
    )
    choose(client, concert_tt.session, {concert_tt: 1})
    html = client.get(reverse("tickets:checkout")).content.decode()
    rules_at = html.index('data-testid="refund-rules"')
    assert rules_at < html.index('name="consent_processing"')
    assert "до 5 часов" in html and "500" in html


def test_ticket_email_quotes_the_rules(concert_tt, django_capture_on_commit_callbacks, mailoutbox):
    RefundPolicy.objects.create(event=concert_tt.session.event, refundable=False)
    with django_capture_on_commit_callbacks(execute=True):
        paid_order(tt=concert_tt, quantity=1)
    (message,) = mailoutbox
    assert "Возврат билетов" in message.body
    assert "Без возврата" in message.body
    assert "Без возврата" in message.alternatives[0][0]


def _rules(**kwargs) -> RefundRules:
    return RefundRules(**{"hours_before": 48, **kwargs})


def test_quote_keeps_the_fee_and_the_service_fee(concert_tt, settings):
    settings.PORTAL_FEE_PERCENT = Decimal("5")
    order = paid_order(tt=concert_tt, quantity=2)
    items = list(order.items.select_related("ticket_type__session"))
    rules = _rules(fee_kind="fixed", fee_value=Decimal("300"), keep_service_fee=True)
    quote = refund_quote(rules=rules, items=items, moved_at={})
    assert [t.fee for t in quote.tickets] == [Decimal("800.00")] * 2  # 300 + 5 % of 10 000
    assert quote.amount == Decimal("18400.00")


def test_after_the_deadline_the_refusal_quotes_the_rule(concert_tt):
    order = paid_order(tt=concert_tt, quantity=1)
    starts = concert_tt.session.starts_at
    quote = order_refund_quote(order=order, now=starts - timedelta(hours=47))
    (ticket,) = quote.tickets
    assert "Время возврата этого билета прошло" in ticket.refused
    assert "до 2 дней до начала" in ticket.refused
    assert quote.amount == 0
    in_time = order_refund_quote(order=order, now=starts - timedelta(hours=49))
    assert in_time.amount == Decimal("10000.00") and not in_time.refused


def test_a_moved_session_gives_the_full_price_back_even_with_no_refunds(
    concert_tt, django_capture_on_commit_callbacks, mailoutbox
):
    event = concert_tt.session.event
    RefundPolicy.objects.create(event=event, refundable=False, moved_refund_days=3)
    order = paid_order(tt=concert_tt, quantity=1)
    assert order_refund_quote(order=order).amount == 0
    session = concert_tt.session

    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=session, data={"starts_at": session.starts_at + timedelta(days=1)})

    move = SessionMove.objects.get(session=session)
    assert move.new_starts_at == session.starts_at
    quote = order_refund_quote(order=order)
    assert quote.amount == Decimal("10000.00") and quote.full_after_move
    late = order_refund_quote(order=order, now=move.moved_at + timedelta(days=4))
    assert late.amount == 0  # the move's window is over: the event's own rule again
    (message,) = mailoutbox
    assert "полную стоимость" in message.body


def test_a_used_ticket_or_a_started_session_is_not_refunded(concert_tt):
    order = paid_order(tt=concert_tt, quantity=2)
    first = order.items.order_by("id").first()
    first.checked_in_at = timezone.now()
    first.save(update_fields=["checked_in_at"])
    quote = order_refund_quote(order=order)
    assert [bool(t.refused) for t in quote.tickets] == [True, False]
    started = order_refund_quote(order=order, now=concert_tt.session.starts_at)
    assert all(t.refused for t in started.tickets)


def test_theatre_default_allows_returns_until_three_hours_before(theatre_tt):
    order = paid_order(tt=theatre_tt, quantity=1)
    starts = theatre_tt.session.starts_at
    assert order_refund_quote(order=order, now=starts - timedelta(hours=4)).amount == 10000
    assert order_refund_quote(order=order, now=starts - timedelta(hours=2)).amount == 0


def test_other_sessions_moves_do_not_count(concert_tt):
    other = SessionFactory(event=concert_tt.session.event)
    SessionMove.objects.create(
        session=other, old_starts_at=other.starts_at, new_starts_at=other.starts_at
    )
    RefundPolicy.objects.create(event=concert_tt.session.event, refundable=False)
    order = paid_order(tt=concert_tt, quantity=1)
    assert order_refund_quote(order=order).amount == 0
