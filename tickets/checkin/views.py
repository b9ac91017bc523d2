"""The door: the scanner page for check-in staff, its JSON calls, and the scanner devices."""

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.models import Event, Session
from eventum.numbers import whole_number
from organizers.models import Organizer
from organizers.permissions import ROLES_CHECKIN, ROLES_ORDERS, organizer_role_required
from tickets.checkin.forms import ScannerDayForm
from tickets.checkin.selectors import (
    scanner_counted_sessions,
    scanner_default_day,
    scanner_next_sessions,
    scanner_sessions_of_day,
)
from tickets.checkin.services import (
    RateLimited,
    checkin_counters,
    checkin_scan,
    scan_rate_check,
    scanner_device_create,
    scanner_device_revoke,
)
from tickets.models import ScannerDevice

TOO_FAST = gettext_lazy("Too many scans at once. Wait a second and scan again.")


def _event_or_404(organizer: Organizer, event_slug: str) -> Event:
    return get_object_or_404(
        Event.objects.select_related("venue"), organizer=organizer, slug=event_slug
    )


def _session_or_none(event: Event, value: str | None) -> Session | None:
    session_id = whole_number(value)
    if session_id is None:
        return None
    return Session.objects.filter(event=event, pk=session_id).first()


def counters_json(event: Event, sessions: QuerySet[Session] | None = None) -> dict:
    rows = checkin_counters(event=event, sessions=sessions)
    return {
        "sessions": [
            {
                "id": row.session.pk,
                "starts_at": row.session.starts_at.isoformat(),
                "label": (
                    _("Open-dated tickets")
                    if row.session.is_open_dated
                    else timezone.localtime(row.session.starts_at).strftime("%d.%m.%Y %H:%M")
                ),
                "checked_in": row.checked_in,
                "sold": row.sold,
            }
            for row in rows
        ]
    }


def too_fast_response() -> JsonResponse:
    return JsonResponse({"error": "rate_limited", "message": str(TOO_FAST)}, status=429)


@organizer_role_required(*ROLES_CHECKIN)
def checkin_events(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    """Choose the event (and session) to scan tickets for."""
    events = (
        Event.objects.filter(organizer=request.organizer, status=Event.Status.PUBLISHED)
        .select_related("venue")
        .prefetch_related(scanner_next_sessions())
        .order_by("-created_at")
    )
    return render(
        request,
        "tickets/checkin/events.html",
        {"organizer": request.organizer, "events": events},
    )


@organizer_role_required(*ROLES_CHECKIN)
def checkin_scanner(request: HttpRequest, organizer_slug: str, event_slug: str) -> HttpResponse:
    """The scanner: camera, manual code field, a big answer and live counters. Sessions are
    offered and counted one typed day at a time (a service may have thousands of slots)."""
    event = _event_or_404(request.organizer, event_slug)
    session = _session_or_none(event, request.GET.get("session"))
    typed = ScannerDayForm(request.GET or None).typed_day()
    day = typed or scanner_default_day(event=event, session=session)
    if (
        session is not None
        and not session.is_open_dated
        and timezone.localdate(session.starts_at) != day
    ):
        session = None  # another day was typed: its sessions are to choose from
    day_form = ScannerDayForm(initial={"day": day})
    return render(
        request,
        "tickets/checkin/scanner.html",
        {
            "organizer": request.organizer,
            "event": event,
            "session": session,
            "day": day,
            "day_form": day_form,
            # an open-dated ticket passes at any slot's door: not a session to choose
            "sessions": scanner_sessions_of_day(event=event, day=day),
            "counters": checkin_counters(
                event=event, sessions=scanner_counted_sessions(event=event, day=day)
            ),
        },
    )


@require_POST
@organizer_role_required(*ROLES_CHECKIN)
def checkin_scan_view(request: HttpRequest, organizer_slug: str, event_slug: str) -> JsonResponse:
    """One scan from the scanner page (session + CSRF): the answer as JSON."""
    event = _event_or_404(request.organizer, event_slug)
    try:
        scan_rate_check(who=f"user:{request.user.pk}")
    except RateLimited:
        return too_fast_response()
    code = request.POST.get("code", "")
    if not code.strip():
        return JsonResponse(
            {"error": "no_code", "message": _("Scan a QR code or type the ticket code.")},
            status=400,
        )
    answer = checkin_scan(
        organizer=request.organizer,
        event=event,
        session=_session_or_none(event, request.POST.get("session")),
        code=code,
        user=request.user,
    )
    return JsonResponse(answer.as_json())


@require_GET
@organizer_role_required(*ROLES_CHECKIN)
def checkin_stats_view(request: HttpRequest, organizer_slug: str, event_slug: str) -> JsonResponse:
    """Checked in / sold per session, polled by the scanner page: of its ``?day=`` (and the
    open-dated tickets), or of every session without one."""
    event = _event_or_404(request.organizer, event_slug)
    day = ScannerDayForm(request.GET or None).typed_day()
    sessions = scanner_counted_sessions(event=event, day=day) if day else None
    return JsonResponse(counters_json(event, sessions))


@organizer_role_required(*ROLES_ORDERS)
def scanner_devices(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    """Devices allowed to call the check-in API; a new token is shown once, right here."""
    new = None
    error = ""
    if request.method == "POST":
        label = request.POST.get("label", "").replace("\x00", "").strip()
        if not label:
            error = _("Give the device a name, e.g. “Entrance A, phone 1”.")
        elif len(label) > 100:
            error = _("The name is too long (100 characters at most).")
        else:
            new = scanner_device_create(
                organizer=request.organizer, label=label, created_by=request.user
            )
    devices = ScannerDevice.objects.filter(organizer=request.organizer)
    response = render(
        request,
        "tickets/checkin/devices.html",
        {"organizer": request.organizer, "devices": devices, "new": new, "error": error},
        status=400 if error else 200,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@organizer_role_required(*ROLES_ORDERS)
def scanner_device_revoke_view(
    request: HttpRequest, organizer_slug: str, device_id: int
) -> HttpResponse:
    """Two steps: a GET, or a POST without ``confirm``, asks first; the confirming POST revokes."""
    if request.POST.get("confirm") != "yes":
        device = get_object_or_404(ScannerDevice, organizer=request.organizer, pk=device_id)
        return render(request, "tickets/cabinet/scanner_revoke.html", {"device": device})
    try:
        device = scanner_device_revoke(device_id=device_id, organizer=request.organizer)
    except ScannerDevice.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(
        request, _("The device “%(label)s” can no longer check in.") % {"label": device.label}
    )
    return redirect("tickets:scanner_devices", organizer_slug)
