"""The load generator's HTTP client: aiohttp, with the cookies kept by hand.

The load generator shares this machine's cores with the server it measures, so its own CPU per
request is CPU the server does not get. Measured here against a bare local responder, httpx
spent 1.1 ms of CPU per request on one connection and 3.1 ms with thousands of requests in
flight; aiohttp 0.15 ms either way. With 5,000 waiting visitors that was most of a core.

Production cookies are ``Secure`` and the bench talks plain HTTP to gunicorn, so no client's
own cookie jar would send them back: each simulated visitor keeps its cookies itself
(``remember`` and ``cookie_header``) and sends them in a ``Cookie`` header.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy

# A dropped or refused connection, or no answer in time: a browser would simply try again.
TransportError: tuple[type[BaseException], ...] = (
    aiohttp.ClientConnectionError,
    asyncio.TimeoutError,
)
# Anything that ends a request without an answer.
HTTPError: tuple[type[BaseException], ...] = (aiohttp.ClientError, asyncio.TimeoutError)


@dataclass(frozen=True)
class Answer:
    """A response read in full."""

    status_code: int
    headers: CIMultiDictProxy[str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)

    def cookies(self) -> dict[str, str]:
        """The cookies this answer sets, by name."""
        found: dict[str, str] = {}
        for header in self.headers.getall("Set-Cookie", []):
            for name, morsel in SimpleCookie(header).items():
                found[name] = morsel.value
        return found


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


class Client:
    """One pool of at most ``connections`` kept-alive connections to ``base_url``.

    A kept-alive connection is reused only within 1 s: gunicorn closes idle ones after 2 s, and
    a request sent on a connection the server is closing that moment fails. A request waits up
    to 120 s: in a rush a queued request is slow, not failed (gunicorn's own timeout still ends
    a stuck one). Redirects are answers here, never followed.
    """

    def __init__(self, base_url: str, *, connections: int) -> None:
        self.base_url = base_url
        self.connections = connections
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Client:
        self._session = aiohttp.ClientSession(
            self.base_url,
            connector=aiohttp.TCPConnector(limit=self.connections, keepalive_timeout=1.0),
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(total=120),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._session is not None
        await self._session.close()

    async def get(self, path: str, *, headers: dict[str, str] | None = None) -> Answer:
        return await self._send("GET", path, headers=headers)

    async def post(
        self,
        path: str,
        *,
        data: dict[str, Any] | bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        return await self._send("POST", path, data=data, headers=headers)

    async def _send(self, method: str, path: str, **kwargs: Any) -> Answer:
        assert self._session is not None, "use the client in an `async with` block"
        async with self._session.request(method, path, allow_redirects=False, **kwargs) as reply:
            return Answer(reply.status, reply.headers, await reply.read())
