"""Writes of the wallet web service: phones registering for a pass's updates, and a pass's
update when its content changes (a moved session, a new QR code, a transfer, a return).

A change moves the pass's update time in the caller's transaction and queues the pushes
through the outbox, so a phone hears of a change exactly when it is committed; the push task
re-reads the registrations and asks Apple's push service to wake each phone.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest

from eventum.outbox import outbox_enqueue
from tickets.models import OrderItem, WalletPass, WalletRegistration
from tickets.wallet.apns import GONE, ApnsSender, apns_sender
from tickets.wallet.apple import serial_number
from tickets.wallet.models import update_time_now
from tickets.wallet.selectors import pass_subject_blocked

logger = logging.getLogger(__name__)

# Registered by ``tickets.wallet.tasks``; services enqueue by name and never import the tasks.
WALLET_PUSH_TASK = "tickets.wallet.tasks.wallet_push_task"
# Passes per queued task: a moved session of thousands of tickets is many small tasks.
PUSH_BATCH = 200


class ApnsUnavailable(RuntimeError):
    """Some pushes could not reach Apple's push service; the task tries again later."""


@transaction.atomic
def wallet_registration_save(
    *, item: OrderItem, device_library_identifier: str, push_token: str
) -> tuple[WalletRegistration, bool]:
    """The phone asks to hear of the pass's changes (again: its push token may be new).
    Returns the registration and whether it is new."""
    wallet_pass, _new_pass = WalletPass.objects.get_or_create(
        item=item, defaults={"serial_number": serial_number(item.order, item)}
    )
    registration, created = WalletRegistration.objects.select_for_update().get_or_create(
        wallet_pass=wallet_pass,
        device_library_identifier=device_library_identifier,
        defaults={"push_token": push_token},
    )
    if not created and registration.push_token != push_token:
        registration.push_token = push_token
        registration.save(update_fields=["push_token"])
    return registration, created


@transaction.atomic
def wallet_registration_delete(*, item: OrderItem, device_library_identifier: str) -> int:
    """The pass was removed from the phone: it hears of it no more. Returns rows deleted."""
    deleted, _per_model = WalletRegistration.objects.filter(
        wallet_pass__item=item, device_library_identifier=device_library_identifier
    ).delete()
    return deleted


def wallet_passes_changed(
    *, item_ids: Iterable[int] = (), session_id: int | None = None
) -> list[int]:
    """The passes of these tickets (or of every ticket of the session) show something new:
    their update time moves on (by a whole second at least) and their phones are pushed to,
    after the caller's transaction commits. Returns the ids of the passes changed."""
    condition = Q(item_id__in=list(item_ids))
    if session_id is not None:
        condition |= Q(item__ticket_type__session_id=session_id)
    passes = WalletPass.objects.filter(condition)
    pass_ids = list(passes.values_list("pk", flat=True))
    if not pass_ids:
        return []
    WalletPass.objects.filter(pk__in=pass_ids).update(
        updated_at=Greatest(update_time_now(), F("updated_at") + timedelta(seconds=1))
    )
    registered = sorted(
        set(
            WalletRegistration.objects.filter(wallet_pass_id__in=pass_ids).values_list(
                "wallet_pass_id", flat=True
            )
        )
    )
    for start in range(0, len(registered), PUSH_BATCH):
        outbox_enqueue(WALLET_PUSH_TASK, registered[start : start + PUSH_BATCH])
    return pass_ids


def wallet_pushes_send(*, pass_ids: list[int], sender: ApnsSender | None = None) -> int:
    """Push to every phone registered for these passes (not to blocked subjects' ones); a
    device APNs calls gone (410) loses its registration. Returns the pushes APNs accepted.
    Raises ``ApnsUnavailable`` when some could not be sent (the task retries)."""
    registrations = [
        registration
        for registration in WalletRegistration.objects.filter(
            wallet_pass_id__in=pass_ids
        ).select_related("wallet_pass__item__order__user")
        if not pass_subject_blocked(registration.wallet_pass.item)
    ]
    tokens = sorted({registration.push_token for registration in registrations})
    if not tokens:
        return 0
    outcomes = (sender or apns_sender()).send(
        tokens=tokens, topic=settings.WALLET_APPLE_PASS_TYPE_ID
    )
    gone = [outcome.token for outcome in outcomes if outcome.status == GONE]
    if gone:
        WalletRegistration.objects.filter(push_token__in=gone).delete()
    for outcome in outcomes:
        if outcome.status not in (200, GONE):
            logger.warning("APNs refused a pass update: %s %s", outcome.status, outcome.reason)
    if any(outcome.status == 0 for outcome in outcomes):
        raise ApnsUnavailable()
    return sum(1 for outcome in outcomes if outcome.status == 200)
