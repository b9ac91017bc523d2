"""Destroying and anonymising buyers' data on the retention schedule (``privacy.retention``).

Both runs — the tax period's (``orders_anonymise``) and the organizer's for one finished event
(``event_personal_data_destroy``) — walk every place listed in
``tickets.retention.personal_data.PERSONAL_DATA``. Fiscal fields stay: amounts, dates, order
code, status, event (and so the organizer), tickets and their check-ins, the providers' ids of
payments and refunds. People on a legal hold (blocked, or with an open claim) — the buyer or
anyone else an order names — are skipped and counted. Every run writes one row to privacy's
destruction trail.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Field, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from events.models import Event
from eventum.accounts import Visitor
from privacy.identity import ip_network
from privacy.retention import retention_rule
from privacy.services import guest_consents_end
from privacy.services.retention import LegalHoldIndex, destruction_record, legal_hold_index
from tickets.errors import TicketsError
from tickets.models import Order, OrderItem, TicketTransfer
from tickets.retention.personal_data import NO_EMAIL, PERSONAL_DATA, PersonalData

_BATCH = 500


class EventNotOver(TicketsError):
    default_message = gettext_lazy(
        "The event is not over yet: its buyers' data is needed at the door. Destroy it after "
        "the last session has ended."
    )


def _hold_of(orders: Iterable[Order]) -> LegalHoldIndex:
    orders = list(orders)
    return legal_hold_index(
        emails=[o.email for o in orders] + [e for o in orders for e in _other_emails(o)],
        phones=[o.phone for o in orders],
        user_ids=[o.user_id for o in orders if o.user_id is not None],
    )


def _other_emails(order: Order) -> set[str]:
    """Other people an order names: ticket holders, and people tickets were given to or from
    (set by ``_with_other_emails``)."""
    return getattr(order, "_other_emails", set())


def _with_other_emails(orders: list[Order]) -> list[Order]:
    ids = [order.pk for order in orders]
    named: dict[int, set[str]] = {pk: set() for pk in ids}
    holders = OrderItem.objects.filter(order_id__in=ids).exclude(holder_email="")
    for order_id, email in holders.values_list("order_id", "holder_email"):
        named[order_id].add(email)
    transfers = TicketTransfer.objects.filter(item__order_id__in=ids)
    for order_id, *emails in transfers.values_list("item__order_id", "from_email", "to_email"):
        named[order_id].update(emails)
    for order in orders:
        order._other_emails = named[order.pk] - {"", NO_EMAIL}  # type: ignore[attr-defined]
    return orders


def _held(hold: LegalHoldIndex, order: Order) -> bool:
    """An order is kept while anyone it names is on a legal hold."""
    return hold.holds(email=order.email, phone=order.phone, user_id=order.user_id) or any(
        hold.holds(email=email) for email in _other_emails(order)
    )


def _holding(entry: PersonalData) -> Q:
    """Rows of ``entry`` that still hold something to make anonymous."""
    if entry.delete_rows:
        return entry.where
    condition = Q(pk__in=[])
    for name, value in entry.clear.items():
        condition |= Q(**{f"{name}__isnull": False}) if value is None else ~Q(**{name: value})
    for name in entry.redact:
        field = entry.model._meta.get_field(name)
        assert isinstance(field, Field)  # a redacted column, never a relation
        condition |= ~Q(**{name: field.get_default()})
    for name in entry.files:
        condition |= ~Q(**{name: ""})
    return condition & entry.where


def _free_rows(entry: PersonalData, rows: QuerySet[Any]) -> tuple[QuerySet[Any], int]:
    """Rows of no order minus those whose subject is on a legal hold, and how many are held."""
    if not entry.subject:
        return rows, 0
    emails = set(rows.values_list(entry.subject, flat=True))
    hold = legal_hold_index(emails=emails)
    held = [email for email in emails if hold.holds(email=email)]
    if not held:
        return rows, 0
    held_rows = rows.filter(**{f"{entry.subject}__in": held})
    return rows.exclude(**{f"{entry.subject}__in": held}), held_rows.count()


def _make_anonymous(entry: PersonalData, rows: QuerySet[Any]) -> int:
    """Make ``rows`` of ``entry`` anonymous (the caller's transaction); returns how many."""
    rows = rows.filter(_holding(entry))
    for name in entry.files:
        for row in rows.exclude(**{name: ""}).only("pk", name):
            getattr(row, name).delete(save=False)
    if entry.delete_rows:
        count, _per_model = rows.delete()
        return count
    count = rows.count()
    for name, anonymise in entry.redact.items():
        for pk, value in rows.values_list("pk", name):
            entry.model._default_manager.filter(pk=pk).update(**{name: anonymise(value)})
    cleared = {**entry.clear, **dict.fromkeys(entry.files, "")}
    if cleared:
        rows.update(**cleared)
    return count


def _anonymise(orders: list[Order], now: datetime, *, accounting: bool) -> dict[PersonalData, int]:
    """Make every place listed in ``PERSONAL_DATA`` anonymous for ``orders`` (one transaction,
    the caller's) — the documents the tax law requires too when ``accounting`` (the end of the
    tax period); returns the rows changed per place."""
    done = {
        entry: _make_anonymous(entry, entry.rows_of_orders(orders))
        for entry in PERSONAL_DATA
        if entry.of_orders and (accounting or not entry.accounting)
    }
    Order.objects.filter(pk__in=[order.pk for order in orders]).update(anonymised_at=now)
    return done


def _anonymise_unordered(rows_of: Callable[[PersonalData], QuerySet[Any]]) -> tuple[int, int]:
    """Rows of no order (waiting lists, messages, attendee lists) chosen by ``rows_of``; returns
    (rows made anonymous, rows held)."""
    done = held = 0
    for entry in PERSONAL_DATA:
        if not entry.of_orders:
            free, kept = _free_rows(entry, rows_of(entry))
            done += _make_anonymous(entry, free)
            held += kept
    return done, held


@transaction.atomic
def orders_anonymise(*, now: datetime | None = None) -> int:
    """Orders older than ``RETENTION_ORDERS_YEARS`` after the end of their year (the tax law's
    period) lose what identifies the buyer; returns the number anonymised."""
    now = now or timezone.now()
    first_kept_year = timezone.localtime(now).year - settings.RETENTION_ORDERS_YEARS
    cutoff = timezone.make_aware(datetime(first_kept_year, 1, 1))
    due = Order.objects.filter(created_at__lt=cutoff, anonymised_at__isnull=True).order_by("pk")
    done = held = last_pk = 0
    buyers: set[str] = set()
    while batch := _with_other_emails(list(due.filter(pk__gt=last_pk)[:_BATCH])):
        last_pk = batch[-1].pk
        hold = _hold_of(batch)
        free = [o for o in batch if not _held(hold, o)]
        held += len(batch) - len(free)
        buyers.update(order.email for order in free)
        _anonymise(free, now, accounting=True)
        done += len(free)
    _guest_consents_end(buyers)
    done_before = Order.objects.filter(created_at__lt=cutoff, anonymised_at__isnull=False)
    for entry in PERSONAL_DATA:
        if entry.accounting and entry.order is not None:
            # Orders whose event's data the organizer destroyed kept these until now.
            before = entry.model._default_manager.filter(**{f"{entry.order}__in": done_before})
            _make_anonymous(entry, before)
    other, other_held = _anonymise_unordered(
        lambda entry: entry.model._default_manager.filter(**{f"{entry.dated}__lt": cutoff})
    )
    if done or held or other or other_held:
        _record("orders", rows=done + other, held=held + other_held, what=_orders_what(done, other))
    return done


def _guest_consents_end(buyers: set[str]) -> None:
    """Buyers none of whose orders keep their data any longer: a guest's consent to processing
    has served its purpose, and the registers' period starts (privacy decides whose)."""
    buyers -= {"", NO_EMAIL}
    if not buyers:
        return
    still_kept = Order.objects.filter(email__in=buyers, anonymised_at__isnull=True)
    guest_consents_end(emails=buyers - set(still_kept.values_list("email", flat=True)))


def _orders_what(count: int, other: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(
            "%(count)s orders made anonymous: buyer's name, phone, e-mail, address, account, IP "
            "address, answers and files, ticket holders, transfers, e-mail addresses, payer data "
            "and typed notes removed; amounts, dates, codes and organizer kept. Also %(other)s "
            "waiting list entries, message addresses and attendee lists of that time"
        ) % {"count": count, "other": other}


def _record(
    rule_key: str, *, rows: int, held: int, what: str, scope: str = "", by: Visitor | None = None
) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        rule = retention_rule(rule_key)
        destruction_record(
            rule=rule.key, what=what, why=rule.why, rows=rows, held=held, scope=scope, by=by
        )


@transaction.atomic
def order_ips_shorten(*, now: datetime | None = None) -> int:
    """IP addresses of orders older than ``RETENTION_ORDER_IP_DAYS`` become their network
    (IPv4 /24, IPv6 /48); returns how many were shortened."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.RETENTION_ORDER_IP_DAYS)
    # A network address ends in ".0" (IPv4 /24) or "::" (IPv6 /48): those are done.
    due = (
        Order.objects.filter(created_at__lt=cutoff, ip_address__isnull=False)
        .exclude(ip_address__endswith=".0")
        .exclude(ip_address__endswith="::")
        .only("pk", "ip_address", "email", "phone", "user_id")
        .order_by("pk")
    )
    shortened = held = 0
    last_pk = 0
    while batch := list(due.filter(pk__gt=last_pk)[:_BATCH]):
        last_pk = batch[-1].pk
        hold = _hold_of(batch)
        for order in batch:
            if _held(hold, order):
                held += 1
                continue
            Order.objects.filter(pk=order.pk).update(ip_address=ip_network(order.ip_address))
            shortened += 1
    if shortened or held:
        with translation.override(settings.LANGUAGE_CODE):
            what = gettext("%(count)s IP addresses of orders shortened to their network") % {
                "count": shortened
            }
        _record("order_ip", rows=shortened, held=held, what=what)
    return shortened


@dataclass(frozen=True)
class EventDataLine:
    label: str
    rows: int


@dataclass(frozen=True)
class EventDataPreview:
    """What destroying an event's personal data would remove, counted before confirming."""

    orders: int
    lines: list[EventDataLine]
    held: int
    is_over: bool


def event_is_over(event: Event, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    running = Q(ends_at__gt=now) | Q(ends_at__isnull=True, starts_at__gt=now)
    return event.sessions.exists() and not event.sessions.filter(running).exists()


def _event_orders(event: Event) -> QuerySet[Order]:
    return Order.objects.filter(event=event, anonymised_at__isnull=True)


def _event_rows(entry: PersonalData, event: Event) -> QuerySet[Any]:
    return entry.model._default_manager.filter(**{entry.event: event})


def _event_scope(event: Event, *, lock: bool = False) -> tuple[list[Order], int]:
    """The event's orders whose data may go, and how many are kept under a legal hold."""
    orders = _event_orders(event).order_by("pk")
    if lock:
        orders = orders.select_for_update()
    found = _with_other_emails(list(orders.only("pk", "email", "phone", "user_id")))
    hold = _hold_of(found)
    free = [order for order in found if not _held(hold, order)]
    return free, len(found) - len(free)


def event_personal_data_preview(*, event: Event) -> EventDataPreview:
    """Per place of ``PERSONAL_DATA``, how many rows of the event would be made anonymous or
    deleted, and how many orders and entries are kept under a legal hold."""
    free, held = _event_scope(event)
    lines = []
    for entry in PERSONAL_DATA:
        if entry.accounting:
            continue  # kept for the tax period
        if entry.of_orders:
            rows = entry.rows_of_orders(free)
        else:
            rows, kept = _free_rows(entry, _event_rows(entry, event))
            held += kept
        count = rows.filter(_holding(entry)).count()
        if count:
            lines.append(EventDataLine(label=str(entry.label), rows=count))
    return EventDataPreview(orders=len(free), lines=lines, held=held, is_over=event_is_over(event))


@transaction.atomic
def event_personal_data_destroy(*, event: Event, by: Visitor) -> int:
    """The organizer destroys the personal data of one finished event, pretix's "shredder":
    every place of ``PERSONAL_DATA`` for the event's orders (buyers, ticket holders, answers and
    files, PDFs, e-mail addresses, payer data, typed notes, transfers) and the event's waiting
    list, message addresses and attendee lists. Amounts, dates, order codes, statuses and
    tickets stay for the accounts; nothing of the same people outside this event is touched.
    Raises ``EventNotOver`` before the last session has ended; people on a legal hold are kept.
    Returns the number of orders made anonymous."""
    if not event_is_over(event):
        raise EventNotOver()
    free, held = _event_scope(event, lock=True)
    per_place = _anonymise(free, timezone.now(), accounting=False)
    other, other_held = _anonymise_unordered(lambda entry: _event_rows(entry, event))
    with translation.override(settings.LANGUAGE_CODE):
        what = gettext(
            "Personal data of %(count)s orders of the event destroyed by the organizer: %(places)s"
            "; amounts, dates, codes and tickets kept"
        ) % {
            "count": len(free),
            "places": ", ".join(
                f"{entry.label} ({rows})" for entry, rows in per_place.items() if rows
            )
            or "—",
        }
        if other:
            also = gettext("; also %(count)s waiting list entries, message addresses and files")
            what += also % {"count": other}
    _record(
        "event_data",
        rows=len(free) + other,
        held=held + other_held,
        what=what,
        scope=f"event:{event.slug}",
        by=by,
    )
    return len(free)
