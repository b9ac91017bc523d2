"""One HTTP POST of a webhook, to the address that was checked (see ``addresses``).

No redirects are followed (a 3xx is a failure: the organizer fixes the URL), the answer's body
is read only in part, and every request has a short timeout so a slow receiver cannot hold a
worker."""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from organizers.webhooks.addresses import UnsafeWebhookAddress, webhook_address_resolve

TIMEOUT_SECONDS = 10
READ_AT_MOST = 2048


@dataclass(frozen=True)
class SendResult:
    status: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def webhook_post(*, url: str, body: bytes, headers: dict[str, str]) -> SendResult:
    """POST ``body`` to ``url``; the outcome, never an exception."""
    started = time.monotonic()

    def done(status: int | None, error: str = "") -> SendResult:
        return SendResult(status, error[:300], int((time.monotonic() - started) * 1000))

    parts = urlsplit(url)
    https = parts.scheme.lower() == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if https else 80)
    try:
        address = webhook_address_resolve(host, port)
    except UnsafeWebhookAddress as exc:
        return done(None, str(exc))
    connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = connection_class(host, port, address=address, timeout=TIMEOUT_SECONDS)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(READ_AT_MOST)
        return done(response.status)
    except (OSError, http.client.HTTPException) as exc:
        return done(None, f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()
