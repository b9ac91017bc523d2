"""The check-in API for scanner apps: ``Authorization: Bearer <device token>``, JSON in and out.

See the README section "Check-in API".
"""

import json

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from events.models import Event
from tickets.checkin.services import (
    RateLimited,
    checkin_scan,
    scan_rate_check,
    scanner_device_for_token,
)
from tickets.checkin.views import _session_or_none, counters_json, too_fast_response
from tickets.models import ScannerDevice


def _device(request: HttpRequest) -> ScannerDevice | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return scanner_device_for_token(token.strip())


def _unauthorized() -> JsonResponse:
    response = JsonResponse(
        {
            "error": "unauthorized",
            "message": _("A valid scanner token is needed (Authorization: Bearer <token>)."),
        },
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="checkin"'
    return response


def _event(device: ScannerDevice, slug: str) -> Event | None:
    slug = str(slug)[:120]
    if "\x00" in slug:  # PostgreSQL cannot even compare text with NUL; no slug has one
        return None
    return Event.objects.filter(organizer=device.organizer, slug=slug).first()


def _no_event() -> JsonResponse:
    return JsonResponse(
        {"error": "unknown_event", "message": _("No such event of your organizer.")}, status=404
    )


def _well_formed(data: object) -> bool:
    """``code`` and ``event`` strings, ``session`` an integer or absent (as documented).

    Any non-empty code is a question the scanner may ask: blanks or NUL characters in it make
    the answer ``unknown``, not a bad request (the service reads the secret out of it).
    """
    if not isinstance(data, dict):
        return False
    code, event, session = data.get("code"), data.get("event"), data.get("session")
    return (
        isinstance(code, str)
        and bool(code)
        and isinstance(event, str)
        and (session is None or (isinstance(session, int) and not isinstance(session, bool)))
    )


@csrf_exempt
@require_POST
def api_checkin(request: HttpRequest) -> JsonResponse:
    """``{"code": "...", "event": "<slug>", "session": <id>?}`` → the check-in answer."""
    device = _device(request)
    if device is None:
        return _unauthorized()
    try:
        scan_rate_check(who=f"device:{device.pk}")
    except RateLimited:
        return too_fast_response()
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        data = None
    if not _well_formed(data):
        return JsonResponse(
            {"error": "bad_request", "message": _("Send JSON with “code” and “event”.")},
            status=400,
        )
    event = _event(device, data["event"])
    if event is None:
        return _no_event()
    session = _session_or_none(event, data.get("session"))
    if data.get("session") is not None and session is None:
        # A scanner set up for one session must never fall back to "any session".
        return JsonResponse(
            {
                "error": "unknown_session",
                "message": _("Choose the event (and the session) to scan tickets for."),
            },
            status=404,
        )
    answer = checkin_scan(
        organizer=device.organizer,
        event=event,
        session=session,
        code=data["code"],
        device=device,
    )
    return JsonResponse(answer.as_json())


@require_GET
def api_checkin_stats(request: HttpRequest) -> JsonResponse:
    """``?event=<slug>`` → checked in / sold per session."""
    device = _device(request)
    if device is None:
        return _unauthorized()
    event = _event(device, request.GET.get("event", ""))
    if event is None:
        return _no_event()
    return JsonResponse(counters_json(event))
