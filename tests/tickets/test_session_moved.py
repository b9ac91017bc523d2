"""When the organizer moves a session, its ticket holders are told and get new tickets and a
calendar entry that replaces the old one."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from events.services import session_update
from tests.factories import TicketTypeFactory
from tests.tickets.delivery_helpers import paid_order
from tests.tickets.flows import place_order
from tickets.models import EmailDelivery, OrderItem, TicketPdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket_type():
    return TicketTypeFactory(session__event__title_ru="Ночь домбры", price=5000)


def test_holders_get_new_tickets_and_the_calendar_entry_moves(
    ticket_type, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        order = paid_order(tt=ticket_type, quantity=2)
    first_pdf = TicketPdf.objects.get(order=order).fingerprint
    first_ics = Calendar.from_ical(mailoutbox[0].attachments[1][1]).walk("VEVENT")[0]
    mailoutbox.clear()
    session = ticket_type.session
    new_start = session.starts_at + timedelta(days=7)

    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=session, data={"starts_at": new_start})

    (message,) = mailoutbox
    assert message.to == ["buyer@example.kz"]
    assert "Новая дата" in message.subject and order.code in message.subject
    assert "перенёс" in message.body
    (_pdf_name, _pdf, pdf_type), (_ics_name, ics, _ics_type) = message.attachments
    assert pdf_type == "application/pdf"
    entry = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert entry["dtstart"].dt == new_start.replace(microsecond=0)
    assert entry["uid"] == first_ics["uid"]
    assert int(entry["sequence"]) > int(first_ics["sequence"])
    assert TicketPdf.objects.get(order=order).fingerprint != first_pdf  # printed again
    kinds = set(EmailDelivery.objects.filter(order=order).values_list("kind", "status"))
    assert ("session_moved", "sent") in kinds


def test_only_holders_of_valid_paid_tickets_are_told(
    ticket_type, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        refunded = paid_order(tt=ticket_type, quantity=1, email="refunded@example.kz")
        place_order({ticket_type: 1}, email="unpaid@example.kz")
        paid_order(tt=ticket_type, quantity=1, email="holder@example.kz")
    OrderItem.objects.filter(order=refunded).update(status=OrderItem.Status.REFUNDED)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        session_update(
            session=ticket_type.session,
            data={"starts_at": ticket_type.session.starts_at + timedelta(hours=2)},
        )

    assert [m.to for m in mailoutbox] == [["holder@example.kz"]]


def test_changing_only_the_end_tells_nobody(
    ticket_type, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        paid_order(tt=ticket_type, quantity=1)
    mailoutbox.clear()
    session = ticket_type.session

    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=session, data={"ends_at": session.starts_at + timedelta(hours=3)})

    assert mailoutbox == []
