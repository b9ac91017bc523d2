"""What the sales path holds about one data subject, handed to privacy as plain data.

Privacy gathers a subject's data (the buyer's download, an access request) and asks every app
through its signals; this module is the tickets app's answer, connected in ``TicketsConfig``:

* ``subject_sections_for_privacy`` (``subject_data_requested``) — the orders with their tickets,
  the phones registered for their wallet passes, check-ins, form answers, payments, refunds
  and ticket e-mails, the organisation of a company order, the organizers' messages the
  subject was sent, and the saved organisations;
* ``subject_references_for_privacy`` (``subject_references_requested``) — the order codes and
  the IP addresses the orders were placed from, so privacy can add its own rows about them
  (payment-flow events by IP, daily counts per IP).

A subject is matched by account, e-mail (any case) or phone, whichever privacy names.
"""

from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from privacy.signals import SubjectDataSection, SubjectReferences
from tickets.models import (
    EmailDelivery,
    MessageDelivery,
    Order,
    OrderCompany,
    OrderItem,
    Payment,
    Refund,
    SavedOrganisation,
)

# Labels of the keys below, for the readable page (the JSON keeps the keys).
LABELS = {
    "order": gettext_lazy("Order"),
    "event": pgettext_lazy("subject data", "Event"),
    "placed_at": gettext_lazy("Placed at"),
    "paid_at": gettext_lazy("Paid at"),
    "currency": gettext_lazy("Currency"),
    "surname": gettext_lazy("Surname"),
    "name": gettext_lazy("Name"),
    "postal_address": gettext_lazy("Postal address"),
    "user_agent": gettext_lazy("Browser"),
    "marketing_consent": gettext_lazy("Agreed to advertising"),
    "tickets": gettext_lazy("Tickets"),
    "type": gettext_lazy("Ticket type"),
    "seat": gettext_lazy("Seat"),
    "amount": gettext_lazy("Amount"),
    "check_in": gettext_lazy("Check-in"),
    "checked_in_at": gettext_lazy("Checked in at"),
    "session": gettext_lazy("Session"),
    "scanner": gettext_lazy("Scanner"),
    "answers": gettext_lazy("Form answers"),
    "question": gettext_lazy("Question"),
    "value": gettext_lazy("Answer"),
    "file": gettext_lazy("File"),
    "payments": gettext_lazy("Payments"),
    "provider": gettext_lazy("Payment provider"),
    "transaction": gettext_lazy("Provider's transaction"),
    "created_at": gettext_lazy("Created at"),
    "completed_at": gettext_lazy("Completed at"),
    "refunds": gettext_lazy("Refunds"),
    "reason": gettext_lazy("Reason"),
    "emails": gettext_lazy("E-mails with tickets"),
    "kind": gettext_lazy("Kind"),
    "to": gettext_lazy("Sent to"),
    "language": gettext_lazy("Language"),
    "attempts": gettext_lazy("Attempts"),
    "sent_at": gettext_lazy("Sent at"),
    "subject": gettext_lazy("Subject"),
    "text": gettext_lazy("Text"),
    "organisation": gettext_lazy("Organisation"),
    "legal_name": gettext_lazy("Legal name"),
    "bin_iin": gettext_lazy("БИН/ИИН"),
    "legal_address": gettext_lazy("Legal address"),
    "holder": gettext_lazy("Holder"),
    "wallet_devices": gettext_lazy("Phones with the ticket in Apple Wallet"),
    "device": gettext_lazy("Device"),
    "push_token": gettext_lazy("Push token"),
    "registered_at": gettext_lazy("Registered at"),
}


def _when(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _orders(*, user: Any, email: str, phone: str) -> QuerySet[Order]:
    condition = Q(pk__in=[])
    if user is not None and getattr(user, "pk", None):
        condition |= Q(user_id=user.pk)
    if email:
        condition |= Q(email__iexact=email)
    if phone:
        condition |= Q(phone=phone)
    return Order.objects.filter(condition).order_by("created_at", "id")


def _order_data(order: Order) -> dict[str, Any]:
    return {
        "order": order.code,
        "event": str(order.event),
        "status": order.get_status_display(),
        "placed_at": _when(order.created_at),
        "paid_at": _when(order.paid_at),
        "total": str(order.total),
        "currency": order.currency,
        "surname": order.surname,
        "name": order.name,
        "email": order.email,
        "phone": order.phone,
        "postal_address": order.postal_address,
        "ip_address": order.ip_address,
        "user_agent": order.user_agent,
        "marketing_consent": order.marketing_consent,
        "organisation": _organisation_data(order),
        "tickets": [_ticket_data(item) for item in order.items.all()],
        "answers": [
            {"question": a.question.label, "value": a.value, "file": a.file_name}
            for a in order.answers.all()
        ],
        "payments": [
            {
                "provider": payment.provider,
                "amount": str(payment.amount),
                "currency": payment.currency,
                "status": payment.get_status_display(),
                "transaction": payment.provider_transaction_id,
                "created_at": _when(payment.created_at),
                "completed_at": _when(payment.completed_at),
            }
            for payment in order.payments.all()
        ],
        "refunds": [
            {"amount": str(r.amount), "reason": r.reason, "created_at": _when(r.created_at)}
            for r in order.refunds.all()
        ],
        "emails": [
            {
                "kind": delivery.get_kind_display(),
                "to": delivery.to,
                "language": delivery.language,
                "status": delivery.get_status_display(),
                "attempts": delivery.attempts,
                "created_at": _when(delivery.created_at),
                "sent_at": _when(delivery.sent_at),
            }
            for delivery in order.email_deliveries.all()
        ],
    }


def _organisation_data(order: Order) -> dict[str, str] | None:
    """The organisation a company order was bought for (``None`` for a personal order)."""
    try:
        company = order.company
    except OrderCompany.DoesNotExist:
        return None
    return {
        "legal_name": company.legal_name,
        "bin_iin": company.bin_iin,
        "legal_address": company.legal_address,
    }


def _saved_organisations(user: Any) -> list[dict[str, str]]:
    if user is None or not getattr(user, "pk", None):
        return []
    return [
        {"legal_name": o.legal_name, "bin_iin": o.bin_iin, "legal_address": o.legal_address}
        for o in SavedOrganisation.objects.filter(user_id=user.pk)
    ]


def _wallet_devices(item: OrderItem) -> list[dict[str, Any]]:
    """The phones registered for the ticket's pass updates."""
    wallet_pass = getattr(item, "wallet_pass", None)
    if wallet_pass is None:
        return []
    return [
        {
            "device": registration.device_library_identifier,
            "push_token": registration.push_token,
            "registered_at": _when(registration.created_at),
        }
        for registration in wallet_pass.registrations.all()
    ]


def _ticket_data(item: OrderItem) -> dict[str, Any]:
    check_in = getattr(item, "check_in", None)
    return {
        "type": str(item.ticket_type),
        "holder": item.holder_name,
        "seat": item.seat_label,
        "amount": str(item.amount),
        "status": item.get_status_display(),
        "check_in": (
            {
                "checked_in_at": _when(check_in.checked_in_at),
                "session": str(check_in.session),
                "scanner": check_in.scanner_label,
            }
            if check_in is not None
            else None
        ),
        "wallet_devices": _wallet_devices(item),
    }


def _messages(emails: set[str]) -> list[dict[str, Any]]:
    if not emails:
        return []
    condition = Q(pk__in=[])
    for address in emails:
        condition |= Q(email__iexact=address)
    deliveries = (
        MessageDelivery.objects.filter(condition)
        .select_related("message__event")
        .order_by("message__created_at", "id")
    )
    return [
        {
            "event": str(delivery.message.event),
            "kind": delivery.message.get_kind_display(),
            "subject": delivery.message.subject,
            "text": delivery.message.body,
            "to": delivery.email,
            "status": delivery.get_status_display(),
            "sent_at": _when(delivery.sent_at),
        }
        for delivery in deliveries
    ]


def subject_sections_for_privacy(
    sender: Any, user: Any = None, email: str = "", phone: str = "", **kwargs: Any
) -> list[SubjectDataSection]:
    """The subject's orders (tickets, check-ins, answers, payments, refunds, ticket e-mails)
    and the organizers' messages sent to the subject's addresses."""
    orders = list(
        _orders(user=user, email=email, phone=phone)
        .select_related("event", "company")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=OrderItem.objects.select_related(
                    "ticket_type", "check_in__session__event", "wallet_pass"
                )
                .prefetch_related("wallet_pass__registrations")
                .order_by("id"),
            ),
            "answers__question",
            Prefetch("payments", queryset=Payment.objects.order_by("created_at", "id")),
            Prefetch("refunds", queryset=Refund.objects.order_by("created_at", "id")),
            Prefetch(
                "email_deliveries", queryset=EmailDelivery.objects.order_by("created_at", "id")
            ),
        )
    )
    addresses = {address.lower() for address in [email, *(o.email for o in orders)] if address}
    return [
        SubjectDataSection(
            key="orders",
            title=gettext("Orders"),
            data=[_order_data(order) for order in orders],
            labels=LABELS,
        ),
        SubjectDataSection(
            key="messages",
            title=gettext("Messages from organizers"),
            data=_messages(addresses),
            labels=LABELS,
        ),
        SubjectDataSection(
            key="organisations",
            title=gettext("Saved organisations"),
            data=_saved_organisations(user),
            labels=LABELS,
        ),
    ]


def subject_references_for_privacy(
    sender: Any, user: Any = None, email: str = "", phone: str = "", **kwargs: Any
) -> SubjectReferences:
    """The subject's order codes and the IP addresses those orders were placed from."""
    rows = _orders(user=user, email=email, phone=phone).values_list("code", "ip_address")
    return SubjectReferences(
        order_codes=[code for code, _ip in rows],
        ip_addresses=sorted({ip for _code, ip in rows if ip}),
    )
