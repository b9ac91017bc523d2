"""Apple's PassKit web service (protocol v1): phones register for a pass's updates, ask which
of their passes changed and fetch the latest pass. Called by phones, not browsers: no CSRF, no
cookies, JSON answers with a reason for every refusal.

The pass's ``authenticationToken`` (``Authorization: ApplePass <token>``) is the credential of
the registration and pass routes; the "what changed" route knows a device only by its library
identifier, as Apple's protocol has it.
"""

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from eventum.ratelimit import Limit, rate_limited
from tickets.models import OrderItem
from tickets.wallet import apple
from tickets.wallet.credentials import apple_signer
from tickets.wallet.selectors import (
    pass_item_for_serial,
    pass_subject_blocked,
    pass_type_known,
    serials_updated_for_device,
    tag_time,
    wallet_pass_for_serial,
)
from tickets.wallet.services import wallet_registration_delete, wallet_registration_save

logger = logging.getLogger(__name__)

TOO_MANY_WALLET_REQUESTS = _("Too many requests from this address. Please try again later.")
# Phones of one mobile carrier share addresses and all ask at once after a moved session.
WALLET_SERVICE = Limit(
    "wallet-service", per_ip=600, window_seconds=600, message=TOO_MANY_WALLET_REQUESTS
)
DEVICE_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
PUSH_TOKEN = re.compile(r"^[A-Za-z0-9]{1,200}$")
LOG_LINES_KEPT = 20
LOG_LINE_LENGTH = 500
# Device and push identifiers, serial numbers (an order's code) and tokens inside a phone's log
# line: any run of 8 or more letters, digits and dashes with a digit in it.
LOG_IDENTIFIER = re.compile(r"\b(?=[A-Za-z0-9-]*\d)[A-Za-z0-9-]{8,}\b")


def _refusal(status: int, error: str, message: Any) -> JsonResponse:
    return JsonResponse({"error": error, "message": str(message)}, status=status)


def _too_many(request: HttpRequest, limit: Limit, *args: Any, **kwargs: Any) -> HttpResponse:
    response = _refusal(429, "rate_limited", limit.message)
    response["Retry-After"] = str(limit.window_seconds)
    return response


def _unknown_pass() -> JsonResponse:
    return _refusal(404, "unknown_pass", _("There is no such pass."))


def _unauthorized() -> JsonResponse:
    return _refusal(401, "unauthorized", _("The pass's authentication token is missing or wrong."))


def _blocked() -> JsonResponse:
    return _refusal(
        403,
        "blocked",
        _("The personal data of this ticket's holder is blocked: the pass is not updated."),
    )


def _token(request: HttpRequest) -> str:
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme == "ApplePass" else ""


@dataclass(frozen=True)
class PassRequest:
    item: OrderItem
    generation: int  # the holder generation of the pass the phone has


def _pass_item(
    request: HttpRequest, pass_type: str, serial: str
) -> tuple[PassRequest | None, JsonResponse | None]:
    """The ticket the request may work on, or the refusal to answer with. An unknown serial
    number is 404 only with a token valid for it, so a stranger learns nothing."""
    if not pass_type_known(pass_type):
        return None, _unknown_pass()
    token = _token(request)
    item = pass_item_for_serial(serial)
    current = apple.holder_generation(item) if item is not None else 0
    generation = apple.token_generation(serial, token, current=current)
    if generation is None:
        return None, _unauthorized()
    if item is None:
        return None, _unknown_pass()
    if pass_subject_blocked(item):
        return None, _blocked()
    return PassRequest(item=item, generation=generation), None


def _push_token(request: HttpRequest) -> str | None:
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return None
    token = data.get("pushToken") if isinstance(data, dict) else None
    return token if isinstance(token, str) and PUSH_TOKEN.match(token) else None


@csrf_exempt
@rate_limited(WALLET_SERVICE, refused=_too_many, methods=("POST", "DELETE"))
@require_http_methods(["POST", "DELETE"])
def registration(request: HttpRequest, device_id: str, pass_type: str, serial: str) -> HttpResponse:
    """POST: the phone registers for the pass's updates (201 new, 200 known); DELETE: it
    unregisters (200)."""
    if not DEVICE_ID.match(device_id):
        return _refusal(400, "bad_device", _("The device identifier is not valid."))
    found, refusal = _pass_item(request, pass_type, serial)
    if refusal is not None:
        return refusal
    assert found is not None
    item = found.item
    if request.method == "DELETE":
        wallet_registration_delete(item=item, device_library_identifier=device_id)
        return HttpResponse(status=200)
    push_token = _push_token(request)
    if push_token is None:
        return _refusal(400, "bad_push_token", _("Send JSON with the device's “pushToken”."))
    _registration, created = wallet_registration_save(
        item=item, device_library_identifier=device_id, push_token=push_token
    )
    return HttpResponse(status=201 if created else 200)


@rate_limited(WALLET_SERVICE, refused=_too_many, methods=("GET",))
@require_GET
def updated_serials(request: HttpRequest, device_id: str, pass_type: str) -> HttpResponse:
    """The serial numbers of the device's passes changed since ``passesUpdatedSince`` (204
    when none did)."""
    if not DEVICE_ID.match(device_id):
        return _refusal(400, "bad_device", _("The device identifier is not valid."))
    if not pass_type_known(pass_type):
        return _unknown_pass()
    tag = request.GET.get("passesUpdatedSince", "")
    since = tag_time(tag) if tag else None
    if tag and since is None:
        return _refusal(400, "bad_tag", _("“passesUpdatedSince” is not a tag this service gave."))
    updated = serials_updated_for_device(device_library_identifier=device_id, since=since)
    if updated is None:
        return HttpResponse(status=204)
    return JsonResponse(
        {"serialNumbers": updated.serial_numbers, "lastUpdated": updated.last_updated}
    )


@rate_limited(WALLET_SERVICE, refused=_too_many, methods=("GET",))
@require_GET
def latest_pass(request: HttpRequest, pass_type: str, serial: str) -> HttpResponse:
    """The pass as it is now; 304 when it has not changed since ``If-Modified-Since``."""
    wallet_pass = wallet_pass_for_serial(serial)  # first: see the selector
    found, refusal = _pass_item(request, pass_type, serial)
    if refusal is not None:
        return refusal
    assert found is not None
    item = found.item
    signer = apple_signer()
    if signer is None:
        return _unknown_pass()
    if wallet_pass is not None:
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        changed = int(wallet_pass.updated_at.timestamp())
        if since is not None and changed <= since:
            response = HttpResponse(status=304)
            response["Last-Modified"] = http_date(changed)
            return response
    # A pass no phone registered for yet has no update time: always the whole pass.
    pkpass = apple.pkpass(item.order, item, signer, generation=found.generation)
    response = HttpResponse(pkpass, content_type=apple.MEDIA_TYPE)
    if wallet_pass is not None:
        response["Last-Modified"] = http_date(int(wallet_pass.updated_at.timestamp()))
    response["Cache-Control"] = "private, no-cache"
    return response


def _without_identifiers(line: str) -> str:
    line = "".join(ch if ch.isprintable() else " " for ch in line[:LOG_LINE_LENGTH])
    return LOG_IDENTIFIER.sub("…", line)


@csrf_exempt
@rate_limited(WALLET_SERVICE, refused=_too_many)
@require_POST
def device_log(request: HttpRequest) -> HttpResponse:
    """Phones report the web service's errors here: into the log, identifiers masked."""
    try:
        data = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        data = None
    logs = data.get("logs") if isinstance(data, dict) else None
    if not isinstance(logs, list) or not all(isinstance(line, str) for line in logs):
        return _refusal(400, "bad_log", _("Send JSON with a list of “logs”."))
    for line in logs[:LOG_LINES_KEPT]:
        logger.warning("Apple Wallet device log: %s", _without_identifiers(line))
    return HttpResponse(status=200)
