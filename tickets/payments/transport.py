"""HTTP to the payment providers (standard library only). Nothing here logs: request bodies
carry credentials (client secrets, signatures) and never reach a log or a template."""

import json
from dataclasses import dataclass
from typing import Any
from urllib import error, request
from urllib.parse import urlencode

from tickets.errors import PaymentError

TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: bytes

    def json(self) -> dict[str, Any]:
        """The body as a JSON object (an empty one when it is not one)."""
        try:
            data = json.loads(self.body.decode("utf-8") or "{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}


def http_call(
    method: str,
    url: str,
    *,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpAnswer:
    """One request; an answer with any HTTP status, or ``PaymentError`` when none came."""
    data = urlencode(form).encode() if form is not None else None
    all_headers = dict(headers or {})
    if data is not None:
        all_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    req = request.Request(url, data=data, headers=all_headers, method=method)
    try:
        with request.urlopen(req, timeout=TIMEOUT_SECONDS) as response:
            return HttpAnswer(response.status, response.read())
    except error.HTTPError as exc:
        return HttpAnswer(exc.code, exc.read())
    except (error.URLError, TimeoutError, OSError) as exc:
        raise PaymentError() from exc
