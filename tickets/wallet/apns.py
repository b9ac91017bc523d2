"""Telling phones that a pass changed: Apple's push service (APNs).

A pass update is an empty JSON object posted to ``<WALLET_APNS_URL>/3/device/<push token>``
with ``apns-topic`` set to the pass type identifier, over HTTP/2 with the pass type certificate
as the client certificate. The phone then asks the web service what changed.

``WALLET_APNS_SENDER`` names the sender class: ``ApnsHttpSender`` in production;
``ApnsRecorder`` in the embedded default and the tests, which sends nothing and keeps the pushes
it was given in memory (and in the log) instead.
"""

import logging
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from tickets.wallet.credentials import apple_pass_files

logger = logging.getLogger(__name__)

PAYLOAD = b"{}"
# APNs' answer for a token whose device no longer takes pushes for the topic.
GONE = 410


@dataclass(frozen=True)
class PushOutcome:
    token: str
    status: int  # APNs' HTTP status; 0 when it could not be reached
    reason: str = ""


class ApnsSender(Protocol):
    def send(self, *, tokens: Sequence[str], topic: str) -> list[PushOutcome]: ...


class ApnsRecorder:
    """Sends nothing: keeps every push in ``sent`` (this process) and logs it."""

    sent: ClassVar[list[dict[str, str]]] = []

    def send(self, *, tokens: Sequence[str], topic: str) -> list[PushOutcome]:
        for token in tokens:
            self.sent.append({"token": token, "topic": topic, "payload": PAYLOAD.decode()})
            logger.info("APNs push recorded, not sent: topic %s, token %s…", topic, token[:8])
        return [PushOutcome(token=token, status=200) for token in tokens]


def _client_certificate() -> ssl.SSLContext:
    files = apple_pass_files()
    if files is None:
        raise ImproperlyConfiguredPush("Apple Wallet is off: no pass type certificate")
    certificate, key, _intermediate = files
    context = ssl.create_default_context()
    context.load_cert_chain(certificate, key, password=settings.WALLET_APPLE_KEY_PASSWORD or None)
    return context


class ImproperlyConfiguredPush(RuntimeError):
    pass


class ApnsHttpSender:
    """Posts to APNs over HTTP/2 with the pass type certificate (``httpx``). ``transport``
    replaces the network (the tests' ``httpx.MockTransport``)."""

    def __init__(self, *, transport: httpx.BaseTransport | None = None) -> None:
        self.transport = transport

    def _client(self) -> httpx.Client:
        timeout = settings.WALLET_APNS_TIMEOUT_SECONDS
        if self.transport is not None:
            return httpx.Client(transport=self.transport, timeout=timeout)
        return httpx.Client(http2=True, verify=_client_certificate(), timeout=timeout)

    def send(self, *, tokens: Sequence[str], topic: str) -> list[PushOutcome]:
        outcomes = []
        base = settings.WALLET_APNS_URL.rstrip("/")
        with self._client() as client:
            for token in tokens:
                try:
                    response = client.post(
                        f"{base}/3/device/{token}",
                        content=PAYLOAD,
                        headers={"apns-topic": topic, "content-type": "application/json"},
                    )
                except httpx.HTTPError as error:
                    outcomes.append(PushOutcome(token=token, status=0, reason=str(error)))
                    continue
                reason = ""
                if response.status_code != 200:
                    try:
                        reason = str(response.json().get("reason", ""))
                    except ValueError:
                        reason = response.text[:200]
                outcomes.append(
                    PushOutcome(token=token, status=response.status_code, reason=reason)
                )
        return outcomes


def apns_sender() -> ApnsSender:
    """The sender ``WALLET_APNS_SENDER`` names."""
    sender: ApnsSender = import_string(settings.WALLET_APNS_SENDER)()
    return sender
