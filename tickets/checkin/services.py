"""Check-in at the door: one atomic decision per scan, and the organizer's QR re-issue.

The decision is a conditional ``UPDATE`` (``checked_in_at IS NULL`` → now) on the ticket row,
so two scanners presenting the same ticket at the same moment get exactly one "valid"; the
``CheckIn`` row's one-to-one key on the ticket backs that up in the database.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Event, Session
from events.seating.layouts import seat_label_shown
from eventum.cache import CACHE_ERRORS
from eventum.ratelimit import window_count
from organizers.models import Organizer
from privacy.services import Subject, disclosure_record, subjects_guard
from tickets.buyer_privacy import buyers_disclosed, orders_shown_to_others, organizer_recipient
from tickets.checkin.models import scanner_token_hash
from tickets.checkin.slots import slot_timing
from tickets.delivery.services import order_pdf_enqueue, order_pdf_forget
from tickets.models import CheckIn, Order, OrderItem, OrderLog, ScannerDevice
from tickets.models.orders import ticket_secret_new
from tickets.qr import code_to_secret
from tickets.refunds.models import RefundRequest
from tickets.wallet.services import wallet_passes_changed
from tickets.webhooks import webhook_ticket_checked_in

logger = logging.getLogger(__name__)

SCANS_PER_SECOND = 10


class CheckInResult:
    VALID = "valid"
    USED = "used"
    CANCELLED = "cancelled"
    WRONG_EVENT = "wrong_event"
    EXPIRED = "expired"  # an open-dated ticket outside its days
    UNKNOWN = "unknown"


HEADLINES = {
    CheckInResult.VALID: gettext_lazy("Valid — let in"),
    CheckInResult.USED: gettext_lazy("Already used"),
    CheckInResult.CANCELLED: gettext_lazy("Not valid: cancelled or refunded"),
    CheckInResult.WRONG_EVENT: gettext_lazy("Wrong event or session"),
    CheckInResult.EXPIRED: gettext_lazy("Outside the ticket's days"),
    CheckInResult.UNKNOWN: gettext_lazy("Unknown ticket"),
}


@dataclass
class CheckInAnswer:
    result: str
    message: str
    item: OrderItem | None = None
    checked_in_at: datetime | None = None
    checked_in_by: str = ""
    holder: str = ""  # as the door may see it: masked while the buyer is restricted
    holder_masked: bool = False
    slot_timing: str = ""  # a service's time slot: "now", "later_today", "over_today", …

    @property
    def ok(self) -> bool:
        return self.result == CheckInResult.VALID

    def as_json(self) -> dict[str, Any]:
        """What the scanner page and the API answer; a stranger's ticket reveals nothing."""
        data: dict[str, Any] = {
            "result": self.result,
            "ok": self.ok,
            "headline": str(HEADLINES[self.result]),
            "message": self.message,
        }
        if self.item is not None and self.result in (
            CheckInResult.VALID,
            CheckInResult.USED,
            CheckInResult.CANCELLED,
            CheckInResult.EXPIRED,
        ):
            session = self.item.ticket_type.session
            data["ticket"] = {
                "number": f"{self.item.order.code}-{self.item.pk}",
                "order": self.item.order.code,
                "type": self.item.ticket_type.name,
                "holder": self.holder,
                "holder_masked": self.holder_masked,
                "session_starts_at": session.starts_at.isoformat(),
                "seat": seat_label_shown(self.item.seat_label),
                "valid_from": _iso(self.item.valid_from),
                "valid_until": _iso(self.item.valid_until),
            }
        if self.slot_timing:
            data["slot_timing"] = self.slot_timing
        if self.checked_in_at is not None:
            data["checked_in_at"] = self.checked_in_at.isoformat()
            data["checked_in_by"] = self.checked_in_by
        return data


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _open_dated_refusal(item: OrderItem, today: date) -> CheckInAnswer | None:
    """An open-dated ticket admits on its days only; ``None`` when today is one of them (or
    the ticket is of a session)."""
    if item.valid_from is None or item.valid_until is None:
        return None  # a ticket of a session or slot
    if item.valid_from <= today <= item.valid_until:
        return None
    if today > item.valid_until:
        message = _("Open-dated ticket valid until %(until)s: expired. Do not let in.")
    else:
        message = _("Open-dated ticket valid from %(from)s: not yet. Do not let in.")
    return CheckInAnswer(
        result=CheckInResult.EXPIRED,
        message=message
        % {
            "from": formats.date_format(item.valid_from, "j E Y"),
            "until": formats.date_format(item.valid_until, "j E Y"),
        },
        item=item,
    )


class RateLimited(Exception):
    """More scans per second than a person at a door can make."""


def scan_rate_check(*, who: str, limit: int = SCANS_PER_SECOND) -> None:
    """Count the scanner's requests in the current second; raise ``RateLimited`` past ``limit``."""
    try:
        count = window_count("checkin-scan", "scanner", who, 1)
    except CACHE_ERRORS as error:
        # Fails open: the door must keep admitting while the cache is down; scanners are
        # signed-in staff or registered devices, and the limit only stops a runaway one.
        logger.warning("Rate limit checkin-scan: cache unavailable, scan allowed (%s)", error)
        return
    if count > limit:
        raise RateLimited()


def _scanner_label(user: User | None, device: ScannerDevice | None, scanner: str = "") -> str:
    if scanner:
        return scanner
    if device is not None:
        return device.label
    if user is not None and user.is_authenticated:
        return user.get_full_name() or user.email or user.get_username()
    return _("scanner")


def _used_answer(item: OrderItem) -> CheckInAnswer:
    previous = CheckIn.objects.filter(item=item).first()
    at = previous.checked_in_at if previous else item.checked_in_at
    by = previous.scanner_label if previous else ""
    when = timezone.localtime(at).strftime("%d.%m.%Y %H:%M:%S") if at else ""
    return CheckInAnswer(
        result=CheckInResult.USED,
        message=_("This ticket was already used at %(when)s by %(by)s.") % {"when": when, "by": by},
        item=item,
        checked_in_at=at,
        checked_in_by=by,
    )


# A buyer's return waiting for the organizer's approval: the ticket is on its way back, so its
# QR no longer admits (the issue: "the ticket's QR stops working immediately"); if the organizer
# refuses the return, the ticket admits again.
refund_waiting = RefundRequest.objects.filter(status=RefundRequest.Status.PENDING)


def _refund_waiting_answer(item: OrderItem) -> CheckInAnswer:
    return CheckInAnswer(
        result=CheckInResult.CANCELLED,
        message=_(
            "The buyer has asked to return this ticket and the return waits for the "
            "organizer's decision. Do not let in."
        ),
        item=item,
    )


def _with_holder(
    answer: CheckInAnswer,
    *,
    organizer: Organizer,
    user: User | None,
    device: ScannerDevice | None,
    scanner: str = "",
) -> CheckInAnswer:
    """Put the holder's name on the answer through privacy's guard and record the hand-over."""
    if answer.item is None:
        return answer
    actor: User | str | None = user
    if device is not None:
        actor = f"scanner device {device.pk}: {device.label}"
    elif scanner:
        actor = scanner
    item = answer.item
    if item.holder_email:  # given to someone else (``tickets.transfers``): their name
        shown = subjects_guard([Subject(email=item.holder_email)]).display(
            name=item.holder_name, email=item.holder_email
        )
        answer.holder, answer.holder_masked = shown.name, shown.masked
        if not shown.masked:
            disclosure_record(
                actor=actor,
                recipient=organizer_recipient(organizer),
                subjects=[item.holder_email],
                fields=["name"],
                purpose=str(gettext_lazy("Check-in answer at the door")),
                channel="checkin",
            )
        return answer
    order = orders_shown_to_others([item.order])[0]
    answer.holder, answer.holder_masked = order.shown.name, order.shown.masked
    buyers_disclosed(
        actor=actor,
        recipient=organizer_recipient(organizer),
        orders=[order],
        purpose=str(gettext_lazy("Check-in answer at the door")),
        channel="checkin",
        fields=("name",),
    )
    return answer


def checkin_scan(
    *,
    organizer: Organizer,
    event: Event,
    code: str,
    session: Session | None = None,
    user: User | None = None,
    device: ScannerDevice | None = None,
    scanner: str = "",
) -> CheckInAnswer:
    """Decide whether the ticket behind ``code`` may enter ``event`` (``session``) now.

    Exactly one concurrent call for a ticket answers ``valid`` and records a ``CheckIn``.
    A ticket of another organizer answers ``unknown`` (its data is never shown); the holder's
    name comes through privacy's guard (masked while the buyer is restricted).
    """
    answer = _checkin_decide(
        organizer=organizer,
        event=event,
        code=code,
        session=session,
        user=user,
        device=device,
        scanner=scanner,
    )
    return _with_holder(answer, organizer=organizer, user=user, device=device, scanner=scanner)


def _checkin_decide(
    *,
    organizer: Organizer,
    event: Event,
    code: str,
    session: Session | None = None,
    user: User | None = None,
    device: ScannerDevice | None = None,
    scanner: str = "",
) -> CheckInAnswer:
    """``checkin_scan`` without the holder: the atomic decision itself. ``scanner`` names a
    caller that is neither a user nor a device (an API key)."""
    secret = code_to_secret(code)
    item = None
    if secret:
        item = (
            OrderItem.objects.select_related("order__event", "ticket_type__session")
            .filter(secret=secret)
            .first()
        )
    if (
        item is None
        or not secrets.compare_digest(item.secret, secret)
        or item.order.event.organizer_id != organizer.pk
    ):
        return CheckInAnswer(
            result=CheckInResult.UNKNOWN, message=_("No ticket has this code. Do not let in.")
        )
    ticket_session = item.ticket_type.session
    # An open-dated ticket is for no slot in particular: any slot's door of its service admits it.
    other_session = (
        session is not None and ticket_session.pk != session.pk and not item.is_open_dated
    )
    if item.order.event_id != event.pk or other_session:
        starts = timezone.localtime(ticket_session.starts_at).strftime("%d.%m.%Y %H:%M")
        return CheckInAnswer(
            result=CheckInResult.WRONG_EVENT,
            message=_("This ticket is for “%(event)s”, %(starts)s.")
            % {"event": item.order.event.title, "starts": starts},
        )
    if item.status != OrderItem.Status.VALID or item.order.status != Order.Status.PAID:
        return CheckInAnswer(
            result=CheckInResult.CANCELLED,
            message=_("The ticket is %(status)s (order: %(order)s). Do not let in.")
            % {
                "status": item.get_status_display().lower(),
                "order": item.order.get_status_display().lower(),
            },
            item=item,
        )
    if refund_waiting.filter(items=item).exists():
        return _refund_waiting_answer(item)
    now = timezone.now()
    refusal = _open_dated_refusal(item, timezone.localdate(now))
    if refusal is not None:
        return refusal
    label = _scanner_label(user, device, scanner)[:150]
    try:
        with transaction.atomic():
            won = (
                OrderItem.objects.filter(
                    pk=item.pk,
                    checked_in_at__isnull=True,
                    status=OrderItem.Status.VALID,
                    order__status=Order.Status.PAID,
                )
                .exclude(Exists(refund_waiting.filter(items=OuterRef("pk"))))
                .update(checked_in_at=now)
            )
            if won:
                CheckIn.objects.create(
                    item=item,
                    session=ticket_session,
                    checked_in_at=now,
                    by_user=user if user is not None and user.is_authenticated else None,
                    device=device,
                    scanner_label=label,
                )
                item.checked_in_at = now
                webhook_ticket_checked_in(item, scanner=label)
    except IntegrityError:
        won = 0
    if won:
        item.checked_in_at = now
        welcome = _("Welcome! %(type)s, order %(order)s.")
        if item.seat_label:
            welcome = _("Welcome! %(type)s, %(seat)s, order %(order)s.")
        message = welcome % {
            "type": item.ticket_type.name,
            "order": item.order.code,
            "seat": seat_label_shown(item.seat_label),
        }
        timing = slot_timing(ticket_session, now)
        if timing is not None:
            message = f"{message} {timing.text}"
        if item.valid_until is not None:  # open-dated
            until = formats.date_format(item.valid_until, "j E Y")
            message = f"{message} " + _(
                "Open-dated ticket, valid until %(until)s: its one entry is used now."
            ) % {"until": until}
        return CheckInAnswer(
            result=CheckInResult.VALID,
            message=message,
            item=item,
            checked_in_at=now,
            checked_in_by=label,
            slot_timing=timing.code if timing else "",
        )
    item.refresh_from_db(fields=["status", "checked_in_at"])
    if item.checked_in_at is not None:
        return _used_answer(item)
    if refund_waiting.filter(items=item).exists():
        return _refund_waiting_answer(item)
    return CheckInAnswer(
        result=CheckInResult.CANCELLED,
        message=_("The ticket is no longer valid. Do not let in."),
        item=item,
    )


@dataclass
class SessionCounter:
    session: Session
    sold: int
    checked_in: int


def checkin_counters(
    *, event: Event, sessions: QuerySet[Session] | None = None
) -> list[SessionCounter]:
    """Checked in / sold (valid tickets of paid orders) for each session of the event, or of
    ``sessions`` only (2 queries)."""
    items = OrderItem.objects.filter(
        order__event=event, status=OrderItem.Status.VALID, order__status=Order.Status.PAID
    )
    chosen = Session.objects.filter(event=event)
    if sessions is not None:
        items = items.filter(ticket_type__session__in=sessions)
        chosen = chosen.filter(pk__in=sessions.values("pk"))
    counts: dict[int, dict[str, int]] = {
        row["ticket_type__session"]: {"sold": row["sold"], "checked_in": row["checked_in"]}
        for row in items.values("ticket_type__session")
        .annotate(sold=Count("id"), checked_in=Count("id", filter=Q(checked_in_at__isnull=False)))
        .order_by()
    }
    return [
        SessionCounter(
            session=session,
            sold=counts.get(session.pk, {}).get("sold", 0),
            checked_in=counts.get(session.pk, {}).get("checked_in", 0),
        )
        for session in chosen.order_by("starts_at")
    ]


@transaction.atomic
def ticket_secret_reissue(*, item_id: int, actor_user: User | None) -> OrderItem:
    """Give the ticket a new QR secret; the old one answers "unknown" from now on.

    The order's stored PDF is dropped and made again (after commit) with the new code.
    """
    item = OrderItem.objects.select_for_update().select_related("order").get(pk=item_id)
    item.secret = ticket_secret_new()
    item.secret_issued_at = timezone.now()
    item.save(update_fields=["secret", "secret_issued_at"])
    OrderLog.objects.create(
        order=item.order,
        from_status=item.order.status,
        to_status=item.order.status,
        actor=actor_user if actor_user is not None and actor_user.is_authenticated else None,
        actor_label="organizer",
        note=f"QR code of ticket {item.order.code}-{item.pk} re-issued",
    )
    order_pdf_forget(order_id=item.order_id)
    order_pdf_enqueue(order_id=item.order_id)
    wallet_passes_changed(item_ids=[item.pk])  # the phone's pass shows the new code
    return item


@dataclass
class NewScanner:
    device: ScannerDevice
    token: str


@transaction.atomic
def scanner_device_create(
    *, organizer: Organizer, label: str, created_by: User | None
) -> NewScanner:
    """A device for the check-in API; its token is shown once and only its hash is kept."""
    token = secrets.token_urlsafe(32)
    device = ScannerDevice.objects.create(
        organizer=organizer,
        label=label.strip()[:100],
        token_hash=scanner_token_hash(token),
        token_hint=token[:6],
        created_by=created_by if created_by is not None and created_by.is_authenticated else None,
    )
    return NewScanner(device=device, token=token)


@transaction.atomic
def scanner_device_revoke(*, device_id: int, organizer: Organizer) -> ScannerDevice:
    """The device's token stops working at once."""
    device = ScannerDevice.objects.select_for_update().get(pk=device_id, organizer=organizer)
    if device.revoked_at is None:
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
    return device


def scanner_device_for_token(token: str) -> ScannerDevice | None:
    """The active device holding ``token`` (looked up by its hash), or ``None``."""
    if not token:
        return None
    device = (
        ScannerDevice.objects.select_related("organizer")
        .filter(token_hash=scanner_token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if device is not None:
        ScannerDevice.objects.filter(pk=device.pk).update(last_used_at=timezone.now())
    return device
