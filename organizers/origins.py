"""The web origins (scheme, host and port) where an organizer embeds the ticket widget.

They end up in a ``Content-Security-Policy: frame-ancestors`` header and in ``postMessage``
target origins, so they are parsed strictly: ``https://tickets.example.kz``,
``http://127.0.0.1:8080`` or a wildcard on the first label, ``https://*.example.kz``. No
paths, queries, credentials or bare ``*``.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_ORIGINS = 20

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST = rf"(?:\*\.)?{_LABEL}(?:\.{_LABEL})*"
_ORIGIN = re.compile(rf"^(https?)://({_HOST})(?::(\d{{1,5}}))?$")


def origin_normalise(value: str) -> str:
    """One origin in its canonical form; raises ``ValidationError`` with a translated reason."""
    text = (value or "").strip().lower().rstrip("/")
    match = _ORIGIN.match(text)
    if match is None:
        raise ValidationError(
            _(
                "“%(value)s” is not a site address: write the scheme and the host only, such "
                "as https://tickets.example.kz (no path; *.example.kz for all subdomains)."
            ),
            code="bad_origin",
            params={"value": value.strip()[:100]},
        )
    scheme, host, port = match.groups()
    if host.startswith("*.") and "." not in host[2:]:
        raise ValidationError(
            _("A wildcard must stand before a domain with a dot, such as *.example.kz."),
            code="bad_wildcard",
        )
    if port is not None:
        number = int(port)
        if not 0 < number < 65536:
            raise ValidationError(_("The port must be from 1 to 65535."), code="bad_port")
        if (scheme, number) in (("http", 80), ("https", 443)):
            port = None
    return f"{scheme}://{host}" + (f":{port}" if port else "")


def origins_parse(text: str) -> list[str]:
    """Origins one a line (blank lines ignored, duplicates dropped, order kept)."""
    result: list[str] = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        origin = origin_normalise(line)
        if origin not in result:
            result.append(origin)
    if len(result) > MAX_ORIGINS:
        raise ValidationError(
            _("At most %(count)d sites."), code="too_many", params={"count": MAX_ORIGINS}
        )
    return result


def origin_allowed(origin: str, registered: list[str]) -> bool:
    """Is ``origin`` (as a browser sends it) one of ``registered`` or under its wildcard?"""
    try:
        origin = origin_normalise(origin)
    except ValidationError:
        return False
    if "*" in origin:
        return False
    for allowed in registered:
        if origin == allowed:
            return True
        if "://*." in allowed:
            scheme, rest = allowed.split("://*.", 1)
            wanted_scheme, wanted_rest = origin.split("://", 1)
            if wanted_scheme == scheme and wanted_rest.endswith("." + rest):
                return True
    return False


def origin_matches(origin: str, registered: str) -> bool:
    """Whether a browser's ``Origin`` is a registered origin (``https://*.example.kz`` takes
    every subdomain of example.kz, not example.kz itself)."""
    if origin == registered:
        return True
    scheme, _sep, rest = registered.partition("://")
    if not rest.startswith("*."):
        return False
    host_and_port = rest[1:]  # ".example.kz[:port]"
    origin_scheme, _sep, origin_rest = origin.partition("://")
    return (
        origin_scheme == scheme
        and origin_rest.endswith(host_and_port)
        and (len(origin_rest) > len(host_and_port))
    )
