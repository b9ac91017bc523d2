"""Where a webhook may be sent: never into the portal's own network (SSRF).

Only ``https`` addresses of public hosts. With ``WEBHOOKS_ALLOW_LOCAL`` (on with ``DEBUG`` and in
the tests, never in production) ``http`` and ``https`` to the machine itself (``localhost``,
loopback addresses) are allowed too, so a developer can watch deliveries locally.

The form checks the address as written; every delivery resolves the host again and refuses if
any of its addresses is private, loopback, link-local or otherwise not public, then connects to
exactly the address it checked (``sending``), so a name that changes its answer between the
check and the connection (DNS rebinding) gains nothing.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeWebhookAddress(ValueError):
    """The address may not receive webhooks; the text says why (translated)."""


def _local_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_LOCAL", False)) and not getattr(
        settings, "PRODUCTION", False
    )


def _plain(address: IPAddress) -> IPAddress:
    """An IPv4 address written as IPv6 (``::ffff:10.0.0.1``) is judged as the IPv4 one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def address_allowed(address: IPAddress) -> bool:
    """A public unicast address, or (locally only) a loopback one."""
    address = _plain(address)
    if address.is_loopback:
        return _local_allowed()
    return address.is_global and not address.is_multicast


def _is_local_name(host: str) -> bool:
    return host in LOCAL_NAMES or host.endswith(".localhost")


def webhook_url_check(url: str) -> str:
    """The address in canonical form, or ``UnsafeWebhookAddress`` saying what is wrong."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise UnsafeWebhookAddress(_("This is not a web address.")) from exc
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower().rstrip(".")
    if scheme not in ("http", "https") or not host:
        raise UnsafeWebhookAddress(_("Write the full address, starting with https://."))
    if parts.username or parts.password:
        raise UnsafeWebhookAddress(_("The address may not contain a user name or password."))
    if parts.fragment:
        raise UnsafeWebhookAddress(_("The address may not contain a “#” part."))
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    local = _is_local_name(host) or (literal is not None and _plain(literal).is_loopback)
    if local and not _local_allowed():
        raise UnsafeWebhookAddress(_("Webhooks cannot be sent to this machine."))
    if scheme == "http" and not local:
        raise UnsafeWebhookAddress(_("Only https:// addresses can receive webhooks."))
    if literal is not None and not address_allowed(literal):
        raise UnsafeWebhookAddress(_("This address is in a private network: use a public one."))
    if literal is None and "." not in host and not local:
        raise UnsafeWebhookAddress(_("Write the full domain name, such as crm.example.kz."))
    if port is not None and not 0 < port < 65536:
        raise UnsafeWebhookAddress(_("The port must be from 1 to 65535."))
    return text


def webhook_address_resolve(host: str, port: int) -> str:
    """The address to connect to for ``host``: every address it resolves to must be allowed
    (one private answer is enough to refuse); raises ``UnsafeWebhookAddress``."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnsafeWebhookAddress(_("The host name could not be resolved.")) from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses:
        raise UnsafeWebhookAddress(_("The host name could not be resolved."))
    if _is_local_name(host.lower()) and not _local_allowed():
        raise UnsafeWebhookAddress(_("Webhooks cannot be sent to this machine."))
    for address in addresses:
        if not address_allowed(address):
            raise UnsafeWebhookAddress(
                _("The host resolves to a private address: webhooks are not sent there.")
            )
    return str(addresses[0])
