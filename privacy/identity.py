"""How a data subject is recognised: normalised e-mail and phone, and the client's IP."""

import ipaddress
import re

from django.conf import settings
from django.http import HttpRequest

_NON_DIGITS = re.compile(r"\D+")


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def normalise_phone(phone: str | None) -> str:
    """``8 (701) 123-45-67`` and ``+7 701 123 4567`` both become ``+77011234567``."""
    digits = _NON_DIGITS.sub("", phone or "")
    if not digits:
        return ""
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]
    elif len(digits) == 10 and digits.startswith("7"):
        digits = "7" + digits
    return "+" + digits


def request_client_ip(request: HttpRequest) -> str:
    """The visitor's IP: ``REMOTE_ADDR``, or the address a trusted proxy put in X-Forwarded-For.

    ``TRUSTED_PROXY_COUNT`` says how many proxies in front of Django append to the header; the
    address the outermost of them saw (``proxies`` entries from the right) is taken, so whatever
    a client writes into the header itself stays to the left and is ignored. The same setting
    feeds allauth (``ALLAUTH_TRUSTED_PROXY_COUNT``), so its login limits count the same address.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    address = request.META.get("REMOTE_ADDR", "") or ""
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return "0.0.0.0"


def request_meta(request: HttpRequest) -> dict[str, str]:
    """``ip_address`` and ``user_agent`` of a request, ready for ``consent_record(**...)``."""
    return {
        "ip_address": request_client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:500],
    }
