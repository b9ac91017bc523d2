"""A real Celery worker makes the PDF and sends the e-mail of an order that was just paid."""

import email
from email import policy

import pytest

from tests.fixtures_services import wait_for
from tests.tickets.delivery_helpers import paid_order
from tickets.models import EmailDelivery, TicketPdf

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_worker_stores_the_pdf_and_mails_it(celery_worker_process, worker_mail_dir):
    before = set(worker_mail_dir.iterdir())
    order = paid_order(quantity=2, email="worker-buyer@example.kz")

    pdf = wait_for(lambda: TicketPdf.objects.filter(order=order).first(), timeout=90)
    delivery = wait_for(
        lambda: EmailDelivery.objects.filter(order=order, status="sent").first(), timeout=90
    )
    new_files = wait_for(lambda: set(worker_mail_dir.iterdir()) - before, timeout=30)

    assert pdf.size > 1000
    assert delivery.attempts == 1 and delivery.sent_at is not None
    raw = b"".join(path.read_bytes() for path in new_files)
    messages = [
        email.message_from_bytes(chunk, policy=policy.default)
        for chunk in raw.split(b"-" * 79 + b"\n")
        if b"worker-buyer@example.kz" in chunk
    ]
    assert len(messages) == 1
    attachments = list(messages[0].iter_attachments())
    assert [a.get_filename() for a in attachments] == [
        f"tickets-{order.code}.pdf",
        f"eventum-{order.code}.ics",
    ]
    assert attachments[0].get_content().startswith(b"%PDF-")
    calendar = attachments[1].get_content()
    assert "BEGIN:VCALENDAR" in (calendar.decode() if isinstance(calendar, bytes) else calendar)
