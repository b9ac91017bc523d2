"""The ticket counter: ``TicketType.quantity_taken`` moves only through these functions.

Taking uses a conditional UPDATE (``quantity_taken + n <= quantity``), so two buyers can never
take the same last ticket: the database re-checks the condition under the row lock and one of
them updates zero rows. A check constraint backs it.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from events.models import TicketType
from tickets.errors import SoldOut
from tickets.models import Reservation


def inventory_take(*, ticket_type_id: int, quantity: int) -> None:
    """Take ``quantity`` tickets off sale or raise ``SoldOut``; call inside a transaction."""
    if quantity <= 0:
        return
    taken = TicketType.objects.filter(
        pk=ticket_type_id, quantity_taken__lte=F("quantity") - quantity
    ).update(quantity_taken=F("quantity_taken") + quantity)
    if taken != 1:
        raise SoldOut()


def inventory_take_or_release_expired(
    *, ticket_type_id: int, quantity: int, now: datetime | None = None
) -> None:
    """``inventory_take``; when too few tickets are free, the type's expired cart holds go back
    on sale first and it is tried once more. Pages never release holds (a GET writes
    nothing), so the purchase that needs the tickets does it, besides the periodic task."""
    try:
        inventory_take(ticket_type_id=ticket_type_id, quantity=quantity)
    except SoldOut:
        if not reservations_release(ticket_type_ids=[ticket_type_id], only_expired=True, now=now):
            raise
        inventory_take(ticket_type_id=ticket_type_id, quantity=quantity)


def inventory_return(*, ticket_type_id: int, quantity: int) -> None:
    """Put ``quantity`` tickets back on sale (never below zero)."""
    if quantity <= 0:
        return
    TicketType.objects.filter(pk=ticket_type_id, quantity_taken__gte=quantity).update(
        quantity_taken=F("quantity_taken") - quantity
    )


def _return_flagged(batch: uuid.UUID) -> int:
    """Return to sale what one release batch flagged, per ticket type."""
    released = 0
    per_type = (
        Reservation.objects.filter(release_batch=batch)
        .values("ticket_type_id")
        .annotate(total=Sum("quantity"))
        .order_by("ticket_type_id")
    )
    for row in per_type:
        inventory_return(ticket_type_id=row["ticket_type_id"], quantity=row["total"])
        released += row["total"]
    return released


@transaction.atomic(savepoint=False)
def reservations_release(
    *,
    ticket_type_ids: Iterable[int] | None = None,
    cart_id: int | None = None,
    only_expired: bool = True,
    now: datetime | None = None,
) -> int:
    """Release live holds (by default only expired ones) and return their tickets to sale.

    The hold rows are flagged with a fresh batch id by one conditional UPDATE; only what this
    call flagged is returned, so concurrent releases never return the same hold twice. It is
    called on every step of a purchase, so when nothing has expired it costs that one UPDATE
    (no savepoint: a failure here fails the caller's transaction anyway).
    Returns the number of tickets put back on sale.
    """
    live = Reservation.objects.filter(released_at__isnull=True, order__isnull=True)
    if ticket_type_ids is not None:
        live = live.filter(ticket_type_id__in=list(ticket_type_ids))
    if cart_id is not None:
        live = live.filter(cart_id=cart_id)
    now = now or timezone.now()
    if only_expired:
        live = live.filter(expires_at__lte=now)
    batch = uuid.uuid4()
    if not live.update(released_at=now, release_batch=batch):
        return 0
    return _return_flagged(batch)
