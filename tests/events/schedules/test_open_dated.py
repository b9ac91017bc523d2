"""Open-dated tickets of a service: sold without a time slot, valid any day within N days of
the purchase for one entry, with their own capacity; the organizer sets them up in the
cabinet, the buyer sees and buys them on the service's page, the ticket states its days, and
the door admits it once within them."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from events.models import Session, TicketType
from events.schedules.services import (
    ScheduleError,
    open_dated_ticket_type_create,
    schedule_create,
)
from events.services import events_mark_finished
from tests.events.schedules.factories import ServiceFactory
from tests.events.schedules.test_materialise import TEMPLATES, _rule
from tests.factories import EventFactory, MembershipFactory
from tests.tickets.delivery_helpers import paid_order
from tests.tickets.helpers import choose
from tickets.checkin.services import CheckInResult, checkin_scan
from tickets.delivery.calendar import order_calendar
from tickets.delivery.pdf import render_tickets_pdf
from tickets.delivery.services import ticket_prints
from tickets.errors import SoldOut
from tickets.models import OrderItem
from tickets.services.booking_move import BookingMoveRefused, order_move_to_slot
from tickets.services.cart import cart_set_quantities

pytestmark = pytest.mark.django_db

PASS = {
    "name_ru": "Абонемент на месяц",
    "name_kk": "Айлық абонемент",
    "name_en": "Month pass",
    "price": Decimal("3000"),
    "quantity": 3,
    "max_per_order": 5,
    "position": 0,
    "valid_days": 30,
    "sale_starts_at": None,
    "sale_ends_at": None,
}


@pytest.fixture
def service():
    return ServiceFactory()


@pytest.fixture
def month_pass(service):
    return open_dated_ticket_type_create(event=service, data=dict(PASS))


def _owner_client(client, service):
    owner = MembershipFactory(organizer=service.organizer, role="owner").user
    client.force_login(owner)
    return client


def _scan(order, *, session=None):
    item = order.items.get()
    return checkin_scan(
        organizer=order.event.organizer, event=order.event, code=item.secret, session=session
    )


def test_the_organizer_adds_open_dated_tickets_in_the_cabinet(client, service):
    _owner_client(client, service)
    url = reverse(
        "events_cabinet:open_dated_create",
        kwargs={"organizer_slug": service.organizer.slug, "pk": service.pk},
    )
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="valid_days"' in form.content.decode()
    data = {**PASS, "sale_starts_at": "", "sale_ends_at": ""}
    without_days = client.post(url, {**data, "valid_days": ""})
    assert without_days.status_code == 200 and not TicketType.objects.exists()
    assert "valid_days" in without_days.context["form"].errors
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "name_ru": "На неделю", "valid_days": 7}).status_code == 302
    holder = Session.objects.get(event=service)
    assert holder.is_open_dated  # one holder session for every open-dated type
    assert sorted(holder.ticket_types.values_list("valid_days", flat=True)) == [7, 30]
    assert holder.ticket_types.filter(sale_ends_at__isnull=True).count() == 2
    page = client.get(
        reverse(
            "events_cabinet:event_detail",
            kwargs={"organizer_slug": service.organizer.slug, "pk": service.pk},
        )
    ).content.decode()
    assert "На неделю" in page and 'id="open-dated"' in page


def test_a_one_off_event_has_no_open_dated_tickets():
    with pytest.raises(ScheduleError):
        open_dated_ticket_type_create(event=EventFactory(), data=dict(PASS))
    assert not TicketType.objects.exists()


def test_the_buyer_sees_and_chooses_them_without_a_time(client, settings, service, month_pass):
    settings.SCHEDULES_HORIZON_DAYS = 3
    schedule_create(event=service, data=_rule(times="10:00"), ticket_types=TEMPLATES)
    html = client.get(service.get_absolute_url()).content.decode()
    assert 'id="open-dated"' in html
    assert f'name="qty_{month_pass.pk}"' in html
    assert "30" in html
    response = choose(client, month_pass.session, {month_pass: 2})
    assert response.status_code == 302 and response.url == reverse("tickets:checkout")
    month_pass.refresh_from_db()
    assert month_pass.quantity_taken == 2


def test_the_front_desk_day_lists_no_holder_session(client, service, month_pass):
    _owner_client(client, service)
    desk = client.get(
        reverse(
            "events_cabinet:service_day",
            kwargs={"organizer_slug": service.organizer.slug, "pk": service.pk},
        )
    )
    assert desk.status_code == 200
    assert month_pass.session not in desk.context["slots"]


def test_the_ticket_type_quantity_is_its_capacity(month_pass):
    paid_order(month_pass, quantity=3)
    with pytest.raises(SoldOut):
        cart_set_quantities(cart_token="another-buyer-cart", quantities={month_pass.pk: 1})
    month_pass.refresh_from_db()
    assert month_pass.quantity_taken == 3


def test_the_ticket_keeps_its_days_from_the_purchase(month_pass):
    order = paid_order(month_pass, quantity=1)
    item = order.items.get()
    today = timezone.localdate()
    assert (item.valid_from, item.valid_until) == (today, today + timedelta(days=29))


def test_the_order_page_pdf_and_calendar_state_the_days(client, month_pass):
    order = paid_order(month_pass, quantity=1)
    item = order.items.get()
    last = item.valid_until
    page = client.get(order.get_absolute_url()).content.decode()
    assert "в любой день" in page and str(last.year) in page
    pdf = render_tickets_pdf(ticket_prints(order, [item]), language="ru")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "в любой день" in text and "одна проходка" in text
    entry = Calendar.from_ical(order_calendar(order)).walk("VEVENT")[0]
    assert entry.decoded("dtstart") == item.valid_from
    assert entry.decoded("dtend") == last + timedelta(days=1)


def test_the_door_admits_it_once_within_its_days(month_pass):
    order = paid_order(month_pass, quantity=1)
    first = _scan(order)
    assert first.ok
    assert "действителен до" in first.message
    assert first.as_json()["ticket"]["valid_until"] == order.items.get().valid_until.isoformat()
    again = _scan(order)
    assert again.result == CheckInResult.USED


def test_any_slot_door_of_its_service_admits_it(settings, month_pass):
    settings.SCHEDULES_HORIZON_DAYS = 3
    schedule, _report = schedule_create(
        event=month_pass.session.event, data=_rule(times="10:00"), ticket_types=TEMPLATES
    )
    order = paid_order(month_pass, quantity=1)
    assert _scan(order, session=schedule.slots.first()).ok


def test_an_expired_ticket_is_refused_with_the_reason(month_pass):
    order = paid_order(month_pass, quantity=1)
    yesterday = timezone.localdate() - timedelta(days=1)
    OrderItem.objects.filter(order=order).update(
        valid_from=yesterday - timedelta(days=29), valid_until=yesterday
    )
    answer = _scan(order)
    assert answer.result == CheckInResult.EXPIRED
    assert not answer.ok
    assert "истёк" in answer.message
    assert answer.as_json()["headline"]
    assert order.items.get().checked_in_at is None


def test_an_open_dated_booking_has_no_time_to_move(settings, month_pass):
    settings.SCHEDULES_HORIZON_DAYS = 3
    schedule, _report = schedule_create(
        event=month_pass.session.event, data=_rule(times="10:00"), ticket_types=TEMPLATES
    )
    order = paid_order(month_pass, quantity=1)
    with pytest.raises(BookingMoveRefused):
        order_move_to_slot(order_id=order.pk, session_id=schedule.slots.first().pk)
    assert order.items.get().ticket_type_id == month_pass.pk


def test_a_service_selling_open_dated_tickets_is_not_finished(month_pass):
    assert events_mark_finished() == 0
    month_pass.session.event.refresh_from_db()
    assert month_pass.session.event.status == "published"


def test_an_open_dated_ticket_may_be_returned_given_on_and_waited_for_until_its_days_end(
    month_pass,
):
    """The ticket's session holds no time of its own (it was made when the pass was set up):
    returns and transfers count back from the end of the ticket's last valid day instead."""
    from tickets.refunds.selectors import order_refund_quote
    from tickets.transfers.rules import TransferTerms
    from tickets.waitlist.services import waitlist_join

    Session.objects.filter(pk=month_pass.session_id).update(
        starts_at=timezone.now() - timedelta(days=3)
    )
    order = paid_order(month_pass, quantity=1)
    item = order.items.select_related("ticket_type__session").get()
    quote = order_refund_quote(order=order)
    assert [t.item for t in quote.allowed] == [item], [t.refused for t in quote.tickets]
    terms = TransferTerms(allowed=True)
    assert terms.refusal(item, order=order, done=0) == ""

    later = timezone.now() + timedelta(days=31)
    assert "действовал этот билет, прошли" in str(
        order_refund_quote(order=order, now=later).tickets[0].refused
    )
    assert terms.refusal(item, order=order, done=0, now=later) != ""

    paid_order(month_pass, quantity=2, email="second@example.kz")  # the last two passes
    entry = waitlist_join(
        ticket_type_id=month_pass.pk, email="waiting@example.kz", consent_wording="Согласие"
    )
    assert entry.ticket_type_id == month_pass.pk
