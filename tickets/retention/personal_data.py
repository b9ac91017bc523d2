"""Every place the tickets app keeps a buyer's (or a ticket holder's) personal data, and what
each field becomes when that data is made anonymous.

One list for every destruction on the retention schedule: the tax period's anonymisation of
old orders and the organizer's destruction of an event's data both walk it
(``tickets.retention.services``), so a place listed here is never forgotten by one of them.
A model field that holds personal data must be listed here (or, when it is not a buyer's data,
named with its reason in ``tests/tickets/test_personal_data_coverage.py``, which fails on a new
field that is neither).

Accounting data stays: amounts, dates, order codes, statuses, tickets, the provider's ids of
payments and refunds.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from organizers.webhooks.models import WebhookDelivery
from tickets.models import (
    Answer,
    AttendeeExport,
    BankStatementLine,
    Cart,
    ClosingAct,
    CompanyInvoice,
    EmailDelivery,
    MessageDelivery,
    Order,
    OrderCompany,
    OrderItem,
    OrderLog,
    Payment,
    PaymentNotification,
    Refund,
    RefundRequest,
    TicketPdf,
    TicketTransfer,
    WaitlistEntry,
    WalletRegistration,
)
from tickets.order_notes import order_note_without_typed_text
from tickets.payments.notifications import body_fiscal_only, data_fiscal_only
from tickets.webhooks import payload_anonymous

# What an e-mail field that may not be empty becomes (``.invalid`` never delivers).
NO_EMAIL = "anonymised@invalid"


@dataclass(frozen=True, eq=False)  # one entry per place: compared and hashed by identity
class PersonalData:
    """One model's fields with personal data, and how they are made anonymous.

    A row belongs to an order (``order``: the lookup from the row to it) and goes with that
    order; a row of no order (a waiting list, an organizer's message) belongs to an event
    (``event``) and is dated by ``dated`` for the tax period, its subject named by ``subject``
    (e-mail field) for the legal hold.
    """

    model: type[models.Model]
    label: Promise
    event: str = ""  # for rows of no order: the lookup to their event
    order: str | None = None
    clear: Mapping[str, Any] = field(default_factory=dict)
    redact: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    delete_rows: bool = False
    subject: str = ""
    dated: str = "created_at"
    where: Q = field(default_factory=Q)  # only these rows (e.g. the buyer's own actions)
    # A row that names its order by code inside a payload (a lookup to the code), not by key.
    order_code: str | None = None
    # Documents the tax law requires for the whole tax period (a company buyer's details on its
    # invoice): made anonymous with the order at the end of that period, never earlier.
    accounting: bool = False

    @property
    def of_orders(self) -> bool:
        return self.order is not None or self.order_code is not None

    def rows_of_orders(self, orders: list[Order]) -> models.QuerySet:
        """This place's rows of ``orders``."""
        manager = self.model._default_manager
        if self.order_code is not None:
            return manager.filter(**{f"{self.order_code}__in": [o.code for o in orders]})
        return manager.filter(**{f"{self.order}__in": [o.pk for o in orders]})

    def fields(self) -> set[str]:
        """The model's fields this entry makes anonymous (every field when rows are deleted)."""
        if self.delete_rows:
            return {f.name for f in self.model._meta.concrete_fields}
        return set(self.clear) | set(self.redact) | set(self.files)


PERSONAL_DATA: tuple[PersonalData, ...] = (
    PersonalData(
        OrderItem,
        _("ticket holders' names and e-mails"),
        event="order__event",
        order="order",
        clear={"holder_name": "", "holder_email": ""},
    ),
    PersonalData(
        Answer,
        _("answers to your questions and attached files"),
        event="order__event",
        order="order",
        files=("file",),
        delete_rows=True,
    ),
    PersonalData(
        TicketPdf,
        _("PDF tickets printed with the buyer's name"),
        event="order__event",
        order="order",
        files=("file",),
        delete_rows=True,
    ),
    PersonalData(
        WalletRegistration,
        _("phones registered for wallet pass updates (device identifiers and push tokens)"),
        event="wallet_pass__item__order__event",
        order="wallet_pass__item__order",
        delete_rows=True,
    ),
    PersonalData(
        EmailDelivery,
        _("addresses the tickets were e-mailed to"),
        event="order__event",
        order="order",
        clear={"to": NO_EMAIL, "last_error": ""},
    ),
    PersonalData(
        Payment,
        _("payer data sent to payment providers"),
        event="order__event",
        order="order",
        redact={"provider_data": data_fiscal_only},
    ),
    PersonalData(
        PaymentNotification,
        _("payer data in payment providers' notifications"),
        event="order__event",
        order="order",
        redact={"body": body_fiscal_only},
    ),
    PersonalData(
        Refund,
        _("reasons typed for refunds"),
        event="order__event",
        order="order",
        redact={"reason": order_note_without_typed_text},
    ),
    PersonalData(
        RefundRequest,
        _("notes on buyers' refund requests"),
        event="order__event",
        order="order",
        clear={"note": ""},
    ),
    PersonalData(
        BankStatementLine,
        _("payers' names, BIN/IIN, accounts and payment purposes from bank statements"),
        event="order__event",
        order="order",
        clear={"payer_name": "", "payer_bin": "", "payer_account": "", "purpose": ""},
        accounting=True,  # the organizer's bank statement: a document behind its accounts
    ),
    PersonalData(
        OrderLog,
        _("notes typed in order histories"),
        event="order__event",
        order="order",
        redact={"note": order_note_without_typed_text},
    ),
    PersonalData(
        TicketTransfer,
        _("names and e-mails of people tickets were given to and from"),
        event="item__order__event",
        order="item__order",
        clear={
            "from_name": "",
            "from_email": NO_EMAIL,
            "to_name": "",
            "to_email": NO_EMAIL,
            "by_user": None,
        },
    ),
    PersonalData(
        EmailDelivery,
        _("buyers' accounts that asked for their tickets again"),
        event="order__event",
        order="order",
        clear={"requested_by": None},
        where=Q(requested_by=F("order__user")),
    ),
    PersonalData(
        Refund,
        _("buyers' accounts that returned tickets"),
        event="order__event",
        order="order",
        clear={"created_by": None},
        where=Q(created_by=F("order__user")),
    ),
    PersonalData(
        OrderLog,
        _("buyers' accounts in order histories"),
        event="order__event",
        order="order",
        clear={"actor": None},
        where=Q(actor=F("order__user")),
    ),
    PersonalData(
        WebhookDelivery,
        _("buyers sent to your webhooks"),
        order_code="payload__data__order__code",
        redact={"payload": payload_anonymous},
    ),
    PersonalData(
        OrderCompany,
        _("organisations buyers bought for (kept for the tax period: they are on invoices)"),
        event="order__event",
        order="order",
        clear={"legal_name": "", "bin_iin": "", "legal_address": ""},
        accounting=True,
    ),
    PersonalData(
        CompanyInvoice,
        _("invoices to organisations (kept for the tax period)"),
        order="order",
        files=("file",),
        accounting=True,
    ),
    PersonalData(
        ClosingAct,
        _("acts of services rendered to organisations (kept for the tax period)"),
        order="order",
        files=("file",),
        accounting=True,
    ),
    PersonalData(
        Cart,
        _("buyers' accounts in carts"),
        event="event",
        clear={"user": None},
    ),
    # Last of the order's places: the ones above compare with the order's account.
    PersonalData(
        Order,
        _("buyers' names, phones, e-mails, postal addresses, accounts, IP addresses, browsers"),
        event="event",
        order="pk",
        clear={
            "surname": "",
            "name": "",
            "phone": "",
            "email": "",
            "postal_address": "",
            "user": None,
            "ip_address": None,
            "user_agent": "",
            "review_reason": "",
        },
    ),
    PersonalData(
        WaitlistEntry,
        _("waiting list entries"),
        event="ticket_type__session__event",
        delete_rows=True,
        subject="email",
    ),
    PersonalData(
        MessageDelivery,
        _("addresses your messages to buyers were sent to"),
        event="message__event",
        clear={"email": NO_EMAIL, "error": ""},
        subject="email",
        dated="message__created_at",
    ),
    PersonalData(
        AttendeeExport,
        _("attendee list files"),
        event="event",
        files=("file",),
    ),
)
