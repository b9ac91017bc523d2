"""``/api/v1/organizer/...`` actions on sales: refunds (API key with ``orders:refund``) and the
check-in of v1 (an API key with ``checkin``, or a scanner device's token).

A refund is the cabinet's: the whole order (an unpaid or free one is cancelled, a paid one
refunded in full) or the chosen tickets, through the same order services, the buyer e-mailed.
Check-in has the semantics of ``/api/checkin/`` (which keeps working): one atomic decision per
scan, ``result`` ``valid``/``used``/``cancelled``/``wrong_event``/``unknown``, the holder masked
while the buyer is restricted."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.security import HttpBearer

from events.models import Event, Session
from eventum.api.auth import key_with_scope, organizer_auth
from eventum.api.errors import ApiError, error_responses
from organizers.models import ApiKey, Organizer
from tickets.checkin.services import (
    RateLimited,
    checkin_counters,
    checkin_scan,
    scan_rate_check,
    scanner_device_for_token,
)
from tickets.checkin.views import TOO_FAST
from tickets.errors import TicketsError
from tickets.models import Order, ScannerDevice
from tickets.selectors import order_for_cabinet, order_refund_figures
from tickets.services.order_lifecycle import order_cancel
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor

router = Router(tags=["organizer"])

ORDERS_REFUND = "orders:refund"
CHECKIN = "checkin"
CENT = Decimal("0.01")


class ScannerDeviceToken(HttpBearer):
    """A scanner device's token from the cabinet (Scanners), as for ``/api/checkin/``."""

    openapi_description = "A scanner device's token, made in the cabinet (Scanners)."

    def authenticate(self, request: HttpRequest, token: str) -> ScannerDevice | None:
        return scanner_device_for_token(token.strip())


checkin_auth = [organizer_auth, ScannerDeviceToken()]


class RefundIn(Schema):
    ticket_ids: list[int] | None = Field(
        None, description="The tickets to refund; left out or null: the whole order."
    )
    reason: str = Field("", max_length=300)


class RefundOut(Schema):
    order: str
    status: str
    cancelled: bool
    amount: Decimal
    refunded_amount: Decimal
    currency: str
    ticket_ids: list[int]


class CheckInIn(Schema):
    code: str = Field(..., min_length=1, max_length=500, description="The QR code's text.")
    event: str = Field(..., min_length=1, max_length=120, description="The event's slug.")
    session: int | None = Field(None, description="Only this session's tickets are valid.")


class CheckInTicketOut(Schema):
    number: str
    order: str
    type: str
    holder: str
    holder_masked: bool
    session_starts_at: datetime
    seat: str
    valid_from: date | None = None  # an open-dated ticket of a service: the days it admits
    valid_until: date | None = None


class CheckInOut(Schema):
    result: str
    ok: bool
    headline: str
    message: str
    ticket: CheckInTicketOut | None = None
    slot_timing: str | None = None
    checked_in_at: datetime | None = None
    checked_in_by: str | None = None


class CheckInStatsQuery(Schema):
    event: str = Field(..., min_length=1, max_length=120)


class SessionCountOut(Schema):
    id: int
    starts_at: datetime
    checked_in: int
    sold: int


class CheckInStatsOut(Schema):
    sessions: list[SessionCountOut]


@router.post(
    "/organizer/orders/{code}/refund",
    auth=organizer_auth,
    response={200: RefundOut, **error_responses(401, 403, 404, 409, 422)},
    url_name="api_organizer_order_refund",
    summary="Refund the whole order or chosen tickets (an unpaid or free order is cancelled)",
)
def organizer_order_refund(request: HttpRequest, code: str, body: RefundIn) -> RefundOut:
    key = key_with_scope(request, ORDERS_REFUND)
    order = order_for_cabinet(organizer=key.organizer, code=code.upper()[:12])
    if order is None:
        raise ApiError("order_not_found", _("No such order of your organizer."), status=404)
    if body.ticket_ids == []:
        raise ApiError("nothing_to_refund", _("Choose at least one ticket to refund."), status=422)
    figures = order_refund_figures(order=order, item_ids=body.ticket_ids)
    if not figures.items:
        raise ApiError(
            "nothing_to_refund", _("Choose at least one valid ticket to refund."), status=409
        )
    actor = Actor(label=f"API key “{key.label}” (#{key.pk})")
    reason = body.reason.replace("\x00", "").strip()
    try:
        if figures.whole:
            order_cancel(order_id=order.pk, actor=actor, reason=reason, notify_buyer=True)
        else:
            order_refund(
                order_id=order.pk,
                actor=actor,
                item_ids=[item.pk for item in figures.items],
                reason=reason,
                notify_buyer=True,
            )
    except TicketsError as exc:
        raise ApiError("refund_refused", str(exc.message), status=409) from exc
    order = Order.objects.get(pk=order.pk)
    return RefundOut(
        order=order.code,
        status=order.status,
        cancelled=figures.cancels,
        amount=Decimal(figures.amount).quantize(CENT),
        refunded_amount=Decimal(order.refunded_amount).quantize(CENT),
        currency=order.currency,
        ticket_ids=[item.pk for item in figures.items],
    )


def _checkin_caller(request: HttpRequest) -> tuple[Organizer, ScannerDevice | None, str]:
    """The organizer, the device (if a device token was sent) and the name the log shows."""
    caller = getattr(request, "auth", None)
    if isinstance(caller, ScannerDevice):
        who = f"device:{caller.pk}"
        organizer, device, label = caller.organizer, caller, ""
    else:
        key: ApiKey = key_with_scope(request, CHECKIN)
        who = f"api-key:{key.pk}"
        organizer, device, label = key.organizer, None, f"API: {key.label}"
    try:
        scan_rate_check(who=who)
    except RateLimited as exc:
        raise ApiError("rate_limited", str(TOO_FAST), status=429, retry_after=1) from exc
    return organizer, device, label


def _event(organizer: Organizer, slug: str) -> Event:
    event = Event.objects.filter(organizer=organizer, slug=slug.replace("\x00", "")).first()
    if event is None:
        raise ApiError("unknown_event", _("No such event of your organizer."), status=404)
    return event


@router.post(
    "/organizer/checkin",
    auth=checkin_auth,
    response={200: CheckInOut, **error_responses(401, 403, 404, 422, 429)},
    url_name="api_organizer_checkin",
    summary="Check a ticket in at the door (the answer says whether to let the holder in)",
)
def organizer_checkin(request: HttpRequest, body: CheckInIn) -> dict[str, Any]:
    organizer, device, label = _checkin_caller(request)
    event = _event(organizer, body.event)
    session = None
    if body.session is not None:
        session = Session.objects.filter(event=event, pk=body.session).first()
        if session is None:  # a scanner set up for one session never falls back to "any"
            raise ApiError(
                "unknown_session",
                _("Choose the event (and the session) to scan tickets for."),
                status=404,
            )
    answer = checkin_scan(
        organizer=organizer,
        event=event,
        session=session,
        code=body.code,
        device=device,
        scanner=label,
    )
    return answer.as_json()


@router.get(
    "/organizer/checkin/stats",
    auth=checkin_auth,
    response={200: CheckInStatsOut, **error_responses(401, 403, 404, 422, 429)},
    url_name="api_organizer_checkin_stats",
    summary="Checked in and sold, per session of an event",
)
def organizer_checkin_stats(
    request: HttpRequest, query: Query[CheckInStatsQuery]
) -> CheckInStatsOut:
    organizer, _device, _label = _checkin_caller(request)
    event = _event(organizer, query.event)
    return CheckInStatsOut(
        sessions=[
            SessionCountOut(
                id=row.session.pk,
                starts_at=row.session.starts_at,
                checked_in=row.checked_in,
                sold=row.sold,
            )
            for row in checkin_counters(event=event)
        ]
    )
