"""How a data subject is recognised: normalised e-mail and phone, and the client's IP."""

import ipaddress
import re
from functools import lru_cache
from typing import TypedDict

import phonenumbers
from django.conf import settings
from django.http import HttpRequest

# Numbers typed without a country code are Kazakh: "8 701 …" and "701 …" mean +7 701 ….
PHONE_DEFAULT_REGION = "KZ"
# What people type around the digits. Letters are refused rather than read as a keypad
# ("abc7011234567" is not a phone number), and so are extensions: they do not identify anyone.
_PHONE_TYPED = re.compile(r"[\d\s()+\-./]+")
_INTERNATIONAL_ZEROS = re.compile(r"^00")


def normalise_email(email: str | None) -> str:
    """The one form of an e-mail address that identities are compared in: trimmed, lower-case."""
    return (email or "").strip().lower()


@lru_cache(maxsize=8192)
def normalise_phone(phone: str | None) -> str:
    """The one form of a phone number that identities are compared in: E.164, or ``""``.

    ``8 701 123 45 67``, ``+7 (701) 123-45-67``, ``7011234567`` and ``87011234567`` all become
    ``+77011234567``; a foreign number typed with ``+`` (or ``00``, or Kazakhstan's ``8 10``
    dialling prefix) keeps its country. Anything that is not a valid number, or is only a
    fragment of one, gives ``""``: it identifies nobody. Forms use ``PhoneField`` to say so.

    Remembered per string (a pure function, and parsing is the costly part of masking a page
    of buyers: the guard asks for each row's number several times).
    """
    raw = (phone or "").strip()
    if not raw or not _PHONE_TYPED.fullmatch(raw):
        return ""
    raw = _INTERNATIONAL_ZEROS.sub("+", raw)
    try:
        number = phonenumbers.parse(raw, PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_stored_forms(phone: str | None) -> set[str]:
    """Every string an append-only trail may hold for this number: the E.164 form, and the
    forms the earlier digits-only normaliser wrote for it.

    The consent ledger and the disclosure log are never rewritten (PostgreSQL refuses), so their
    rows keep what was stored before numbers were E.164. That normaliser put ``+`` before the
    digits as typed, so an international call typed ``8 10 44 …`` or ``00 44 …`` was stored as
    ``+81044…`` / ``+0044…``, and a ten-digit number of the +7 zone outside 7xx (``916 …``) as
    ``+916…``; every other input it stored already in E.164. Empty when the number is invalid.
    """
    normal = normalise_phone(phone)
    if not normal:
        return set()
    digits = normal[1:]
    forms = {normal, f"+810{digits}", f"+00{digits}"}
    number = phonenumbers.parse(normal)
    national = str(number.national_number)
    if number.country_code == 7 and not national.startswith("7"):
        forms.add(f"+{national}")
    return forms


def phone_from_stored_form(stored: str | None) -> str:
    """The E.164 form of a phone stored before numbers were E.164, or ``""`` if it names none.

    The inverse of ``phone_stored_forms``, for the migrations that re-normalise stored rows:
    ``+81044…`` and ``+0044…`` were international calls, ``+916…`` a number of the +7 zone.
    """
    value = (stored or "").strip()
    normal = normalise_phone(value)
    if normal or not value.startswith("+"):
        return normal
    digits = value[1:]
    for dialling_prefix in ("810", "00"):
        if digits.startswith(dialling_prefix):
            normal = normalise_phone("+" + digits[len(dialling_prefix) :])
            if normal:
                return normal
    return normalise_phone("8" + digits) if len(digits) == 10 else ""


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


class RequestMeta(TypedDict):
    """Where a consent or request came from: the client's address and browser."""

    ip_address: str
    user_agent: str


def request_meta(request: HttpRequest) -> RequestMeta:
    """``ip_address`` and ``user_agent`` of a request, ready for ``consent_record(**...)``."""
    return {
        "ip_address": request_client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:500],
    }


# Apps and partners call the public API and allauth's app endpoints; they name themselves in
# this header ("Kassa iOS 2.3"), which the consent ledger keeps beside the channel.
API_PATH_PREFIXES = ("/api/", "/_allauth/app/")
APP_NAME_HEADER = "X-App-Name"
APP_NAME_MAX = 80
UNNAMED_APP = "unnamed app"


def request_app_name(request: HttpRequest) -> str | None:
    """The calling app's name for a request through the API, ``None`` for the site's pages."""
    if not request.path_info.startswith(API_PATH_PREFIXES):
        return None
    name = " ".join(request.headers.get(APP_NAME_HEADER, "").split())
    name = "".join(ch for ch in name if ch.isprintable())[:APP_NAME_MAX]
    return name or UNNAMED_APP


def ip_network(address: str | None) -> str:
    """The network an address belongs to, as kept once the address itself is no longer needed:
    IPv4 shortened to /24 (``203.0.113.77`` → ``203.0.113.0``), IPv6 to /48. ``""`` for junk."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)
