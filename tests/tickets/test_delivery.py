"""PDF tickets made in Celery, stored privately, downloaded, and e-mailed with retries."""

import io
from smtplib import SMTPException
from unittest import mock

import pypdfium2
import pytest
import zxingcpp
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from organizers.models import Membership
from tests.factories import TicketTypeFactory, UserFactory
from tests.tickets.delivery_helpers import paid_order, staff_of
from tests.tickets.flows import place_order
from tickets.delivery.services import order_pdf_generate
from tickets.models import EmailDelivery, Order, TicketPdf
from tickets.qr import qr_payload
from tickets.tasks import EMAIL_MAX_RETRIES, order_pdf_task, tickets_email_task

pytestmark = pytest.mark.django_db

KAZAKH_LETTERS = "әғқңөұүһі"


def _decoded_qr_codes(pdf: bytes) -> list[list[str]]:
    document = pypdfium2.PdfDocument(pdf)
    decoded = []
    for page in document:
        image = page.render(scale=150 / 72).to_pil()
        results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        decoded.append([result.text for result in results])
    document.close()
    return decoded


def _pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def kazakh_tt():
    return TicketTypeFactory(
        session__event__title_ru="Концерт «Әуен» — қоңыр күз, өнер, ұлы үн, һәм іңкәр ғажап",
        name_ru="Партер",
    )


def _paid(tt, quantity=2, capture=None, **kwargs):
    with capture(execute=True):
        return paid_order(tt=tt, quantity=quantity, **kwargs)


def test_paying_stores_one_pdf_whose_qr_codes_carry_the_secrets(
    kazakh_tt, django_capture_on_commit_callbacks, mailoutbox, settings
):
    order = _paid(kazakh_tt, capture=django_capture_on_commit_callbacks)

    stored = TicketPdf.objects.get(order=order)
    path = stored.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    with stored.file.open("rb") as handle:
        pdf = handle.read()
    pages = _pages_text(pdf)
    items = list(order.items.order_by("id"))
    assert len(pages) == 2
    for text, item in zip(pages, items, strict=True):
        assert "Концерт «Әуен»" in text
        assert order.code in text
        assert f"{order.code}-{item.pk}" in text
        assert "Иванов Иван" in text
    for letter in KAZAKH_LETTERS:
        assert letter in pages[0], letter
    assert _decoded_qr_codes(pdf) == [[qr_payload(item)] for item in items]


def test_pdf_task_is_idempotent(kazakh_tt, django_capture_on_commit_callbacks, settings):
    order = _paid(kazakh_tt, quantity=1, capture=django_capture_on_commit_callbacks)
    first = TicketPdf.objects.get(order=order)

    order_pdf_task.delay(order.pk)
    order_pdf_task.delay(order.pk)

    assert TicketPdf.objects.filter(order=order).count() == 1
    assert TicketPdf.objects.get(order=order).file.name == first.file.name
    files = list((settings.PRIVATE_MEDIA_ROOT / "tickets" / "pdf").iterdir())
    assert len(files) == 1


def test_unpaid_order_gets_no_pdf():
    order = place_order()

    assert order_pdf_generate(order_id=order.pk) is None
    assert not TicketPdf.objects.exists()


def test_confirmation_carries_the_pdf_in_the_buyers_language(
    kazakh_tt, django_capture_on_commit_callbacks, mailoutbox
):
    order = place_order({kazakh_tt: 1})
    Order.objects.filter(pk=order.pk).update(language="kk")
    from tickets.services.order_lifecycle import order_mark_paid
    from tickets.services.order_states import Actor

    with django_capture_on_commit_callbacks(execute=True):
        order_mark_paid(order_id=order.pk, actor=Actor())

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["buyer@example.kz"]
    assert "тапсырысы" in message.subject
    assert "PDF" in message.body
    assert order.get_absolute_url() in message.body
    html = message.alternatives[0][0]
    assert "<a href=" in html and order.code in html
    (name, content, mimetype), (ics_name, ics, ics_type) = message.attachments
    assert name == f"tickets-{order.code}.pdf"
    assert mimetype == "application/pdf"
    assert _decoded_qr_codes(content) == [[qr_payload(order.items.get())]]
    assert (ics_name, ics_type) == (f"eventum-{order.code}.ics", "text/calendar")
    assert b"BEGIN:VEVENT" in (ics if isinstance(ics, bytes) else ics.encode())
    delivery = EmailDelivery.objects.get(order=order)
    assert delivery.status == EmailDelivery.Status.SENT
    assert delivery.language == "kk"
    assert delivery.attempts == 1 and delivery.sent_at is not None


def test_free_order_is_confirmed_with_its_pdf(django_capture_on_commit_callbacks, mailoutbox):
    free = TicketTypeFactory(price=0)
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order({free: 1})

    assert order.status == Order.Status.PAID
    assert [a[2] for a in mailoutbox[0].attachments] == ["application/pdf", "text/calendar"]
    assert TicketPdf.objects.filter(order=order).exists()


def test_mail_server_errors_are_retried_then_recorded_as_failed(
    kazakh_tt, django_capture_on_commit_callbacks, mailoutbox
):
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=SMTPException("421 try later"),
    ):
        order = _paid(kazakh_tt, quantity=1, capture=django_capture_on_commit_callbacks)

    delivery = EmailDelivery.objects.get(order=order)
    assert delivery.status == EmailDelivery.Status.FAILED
    assert delivery.attempts == EMAIL_MAX_RETRIES + 1
    assert "421 try later" in delivery.last_error
    assert delivery.sent_at is None
    assert mailoutbox == []


def test_a_flaky_mail_server_is_retried_until_sent(
    kazakh_tt, django_capture_on_commit_callbacks, mailoutbox
):
    real = __import__(
        "django.core.mail.backends.locmem", fromlist=["EmailBackend"]
    ).EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] < 3:
            raise ConnectionRefusedError("mail server down")
        return real(self, messages)

    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", flaky):
        order = _paid(kazakh_tt, quantity=1, capture=django_capture_on_commit_callbacks)

    delivery = EmailDelivery.objects.get(order=order)
    assert delivery.status == EmailDelivery.Status.SENT
    assert delivery.attempts == 3
    assert len(mailoutbox) == 1


def test_sent_email_is_not_sent_twice(kazakh_tt, django_capture_on_commit_callbacks, mailoutbox):
    order = _paid(kazakh_tt, quantity=1, capture=django_capture_on_commit_callbacks)
    delivery = EmailDelivery.objects.get(order=order)

    tickets_email_task.delay(delivery.pk)

    assert len(mailoutbox) == 1


def _age_deliveries(order):
    EmailDelivery.objects.filter(order=order).update(
        created_at=timezone.now() - timezone.timedelta(minutes=5)
    )


def test_buyer_resends_the_tickets(
    client, kazakh_tt, django_capture_on_commit_callbacks, mailoutbox
):
    order = _paid(kazakh_tt, quantity=1, capture=django_capture_on_commit_callbacks)
    _age_deliveries(order)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("tickets:order_resend", args=[order.code]), {"s": order.secret}
        )
    too_soon = client.post(
        reverse("tickets:order_resend", args=[order.code]), {"s": order.secret}, follow=True
    )

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert [a[2] for a in mailoutbox[0].attachments] == ["application/pdf", "text/calendar"]
    kinds = sorted(EmailDelivery.objects.filter(order=order).values_list("kind", "status"))
    assert kinds == [("confirmation", "sent"), ("resend", "sent")]
    assert "меньше минуты назад" in too_soon.content.decode()
    assert EmailDelivery.objects.filter(order=order).count() == 2


def test_stranger_cannot_resend(client, kazakh_tt, django_capture_on_commit_callbacks):
    order = _paid(kazakh_tt, quantity=1, capture=django_capture_on_commit_callbacks)

    response = client.post(reverse("tickets:order_resend", args=[order.code]), {"s": "wrong"})

    assert response.status_code == 404
    assert EmailDelivery.objects.filter(order=order).count() == 1


def test_organizer_resends_the_tickets_and_sees_the_state(
    client, kazakh_tt, django_capture_on_commit_callbacks, mailoutbox
):
    order = _paid(kazakh_tt, quantity=1, capture=django_capture_on_commit_callbacks)
    _age_deliveries(order)
    organizer = order.event.organizer
    client.force_login(staff_of(organizer, role=Membership.Role.MANAGER))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("tickets:cabinet_order_resend", args=[organizer.slug, order.code]))
    page = client.get(reverse("tickets:cabinet_order", args=[organizer.slug, order.code]))

    assert len(mailoutbox) == 1
    resend = EmailDelivery.objects.get(order=order, kind="resend")
    assert resend.status == "sent" and resend.requested_label == "organizer"
    assert "Билеты отправлены повторно" in page.content.decode()


def test_order_page_says_preparing_then_offers_downloads(client, kazakh_tt):
    order = paid_order(tt=kazakh_tt, quantity=2)  # on-commit work not run: no PDF yet
    url = order.get_absolute_url()
    pdf_url = reverse("tickets:order_tickets_pdf", args=[order.code])

    preparing = client.get(url).content.decode()
    order_pdf_task.delay(order.pk)
    ready = client.get(url).content.decode()
    pdf = client.get(pdf_url + f"?s={order.secret}")
    phone = client.get(pdf_url + f"?layout=phone&s={order.secret}")
    item = order.items.first()
    single = client.get(
        reverse("tickets:order_ticket_pdf", args=[order.code, item.pk]) + f"?s={order.secret}"
    )

    assert 'data-testid="tickets-preparing"' in preparing
    assert 'http-equiv="refresh"' in preparing
    assert 'data-testid="tickets-pdf"' not in preparing
    assert 'data-testid="tickets-pdf"' in ready and "tickets-preparing" not in ready
    assert 'http-equiv="refresh"' not in ready
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "private, no-store"
    assert len(_pages_text(b"".join(pdf.streaming_content))) == 2
    assert len(_pages_text(phone.content)) == 2
    assert _decoded_qr_codes(single.content) == [[qr_payload(item)]]


def test_an_order_the_worker_never_printed_is_printed_on_download(client, kazakh_tt):
    order = paid_order(tt=kazakh_tt, quantity=1)  # the task was never run
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now() - timezone.timedelta(hours=1))
    order.items.update(secret_issued_at=timezone.now() - timezone.timedelta(hours=1))

    page = client.get(order.get_absolute_url()).content.decode()
    pdf = client.get(reverse("tickets:order_tickets_pdf", args=[order.code]) + f"?s={order.secret}")

    assert "tickets-preparing" not in page and 'data-testid="tickets-pdf"' in page
    assert pdf.status_code == 200
    assert TicketPdf.objects.filter(order=order).count() == 1
    unpaid = place_order()
    response = client.get(
        reverse("tickets:order_tickets_pdf", args=[unpaid.code]) + f"?s={unpaid.secret}"
    )
    assert response.status_code == 404


def test_pdf_is_only_for_the_buyer_team_and_staff(
    client, kazakh_tt, django_capture_on_commit_callbacks
):
    owner = UserFactory()
    order = _paid(kazakh_tt, quantity=1, capture=django_capture_on_commit_callbacks, user=owner)
    url = reverse("tickets:order_tickets_pdf", args=[order.code])

    anonymous = client.get(url)
    wrong_secret = client.get(url + "?s=nope")
    client.force_login(UserFactory())
    stranger = client.get(url)
    client.force_login(owner)
    buyer = client.get(url)
    organizer = order.event.organizer
    cabinet_url = reverse("tickets:cabinet_order_tickets_pdf", args=[organizer.slug, order.code])
    client.force_login(staff_of(organizer, role=Membership.Role.MANAGER))
    team_on_buyer_link = client.get(url)
    team = client.get(cabinet_url)
    client.force_login(staff_of(organizer))  # check-in staff: not the orders
    checkin = client.get(cabinet_url)

    assert [anonymous.status_code, wrong_secret.status_code, stranger.status_code] == [404] * 3
    assert buyer.status_code == 200 and team.status_code == 200
    assert team["Content-Type"] == "application/pdf"
    assert team_on_buyer_link.status_code == 404  # the team uses its cabinet, not the buyer's page
    assert checkin.status_code == 403


def test_partial_refund_prints_the_pdf_again_without_the_refunded_ticket(
    kazakh_tt, django_capture_on_commit_callbacks
):
    from tickets.services.order_refunds import order_refund
    from tickets.services.order_states import Actor

    order = _paid(kazakh_tt, quantity=2, capture=django_capture_on_commit_callbacks)
    refunded, kept = order.items.order_by("id")

    with django_capture_on_commit_callbacks(execute=True):
        order_refund(order_id=order.pk, actor=Actor(label="organizer"), item_ids=[refunded.pk])

    stored = TicketPdf.objects.get(order=order)
    with stored.file.open("rb") as handle:
        assert _decoded_qr_codes(handle.read()) == [[qr_payload(kept)]]
