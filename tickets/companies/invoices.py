"""Writes of invoices (счёт на оплату): issue one for a company order, keep its PDF up to date
in private storage and e-mail it to the contact person.

``issue_invoice`` is the entry point (checkout's "get an invoice", the start of a bank transfer):
it only enqueues, through the outbox, the task that renders, stores and e-mails.
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eventum.outbox import outbox_enqueue
from tickets.companies.documents import CompanyDocument, company_document
from tickets.companies.models import CompanyInvoice, OrderCompany
from tickets.companies.pdf import render_company_document
from tickets.delivery.links import site_url
from tickets.models import Order

# Registered by ``tickets.companies.tasks``; services enqueue by name and never import tasks.
INVOICE_TASK = "tickets.companies.invoice_issue"
# Orders an invoice is made for: waiting for money, or paid (for the buyer's accounting).
INVOICE_STATUSES = (Order.Status.PENDING, Order.Status.PAID)


def issue_invoice(order: Order) -> None:
    """Make (or bring up to date) and e-mail the invoice of a company order, in a worker once
    the current transaction commits. A personal or free order gets none."""
    outbox_enqueue(INVOICE_TASK, order.pk)


def _fingerprint(document: CompanyDocument) -> str:
    printed = "|".join(
        [
            document.language,
            str(document.total),
            document.due_at.isoformat() if document.due_at else "",
            document.paid_at.isoformat() if document.paid_at else "",
            document.supplier.iban,
            document.supplier.bik,
            document.supplier.kbe,
            str(document.vat_amount),
            *(f"{line.title}:{line.quantity}:{line.amount}" for line in document.lines),
        ]
    )
    return hashlib.sha256(printed.encode()).hexdigest()


def invoice_generate(*, order_id: int) -> CompanyInvoice | None:
    """Store the PDF invoice of a company order unless the stored one still says the same.

    The order row is locked while rendering, so a twin task waits and then finds the file.
    Returns ``None`` for a personal order, a free one, or one no longer waiting or paid.
    """
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("event__organizer")
            .prefetch_related("items__ticket_type__session")
            .get(pk=order_id)
        )
        company = OrderCompany.objects.filter(order=order).first()
        if company is None or order.total <= 0 or order.status not in INVOICE_STATUSES:
            return None
        stored = CompanyInvoice.objects.filter(order=order).first()
        issued_on = timezone.localdate(stored.created_at) if stored else timezone.localdate()
        document = company_document(
            order, company, kind="invoice", number=order.code, issued_on=issued_on
        )
        fingerprint = _fingerprint(document)
        if (
            stored is not None
            and stored.fingerprint == fingerprint
            and stored.file.storage.exists(stored.file.name)
        ):
            return stored
        pdf = render_company_document(document)
        old_name = stored.file.name if stored is not None else ""
        if stored is None:
            stored = CompanyInvoice(order=order)
        stored.amount = document.total
        stored.vat_amount = document.vat_amount
        stored.due_at = document.due_at
        stored.language = document.language
        stored.fingerprint = fingerprint
        stored.file.save(
            f"invoice-{order.code}-{fingerprint[:12]}.pdf", ContentFile(pdf), save=False
        )
        stored.save()
        if old_name and old_name != stored.file.name:
            storage = stored.file.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return stored


def invoice_email(*, invoice_id: int) -> bool:
    """E-mail the invoice to the order's contact person, once per version of it.

    Mail-server errors propagate (the task retries). ``False`` when this version was sent.
    """
    invoice = CompanyInvoice.objects.select_related("order__event").get(pk=invoice_id)
    if invoice.emailed_fingerprint == invoice.fingerprint:
        return False
    order = invoice.order
    with invoice.file.open("rb") as handle:
        pdf = handle.read()
    with translation.override(invoice.language):
        subject = _("Invoice for order %(code)s: %(event)s") % {
            "code": order.code,
            "event": order.event,
        }
        context = {
            "order": order,
            "invoice": invoice,
            "order_url": site_url(order.get_absolute_url()),
        }
        body = render_to_string("tickets/companies/email/invoice.txt", context)
        message = EmailMultiAlternatives(subject=subject, body=body, to=[order.email])
        message.attach(f"invoice-{order.code}.pdf", pdf, "application/pdf")
    with get_connection() as connection:
        connection.send_messages([message])
    CompanyInvoice.objects.filter(pk=invoice.pk).update(
        emailed_fingerprint=invoice.fingerprint, emailed_at=timezone.now()
    )
    return True
