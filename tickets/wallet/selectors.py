"""Reads of the wallet web service: which ticket a serial number names, whose it is, and which
of a phone's passes changed."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone

from privacy.services import subject_is_blocked
from tickets.models import Order, OrderItem, WalletPass, WalletRegistration
from tickets.wallet.apple import serial_number


def pass_item_for_serial(serial: str) -> OrderItem | None:
    """The ticket of a pass serial number (``<order code>-<ticket id>``) of an order that was
    paid once; ``None`` for anything else."""
    code, _dash, item_id = serial.rpartition("-")
    if not code or not item_id.isdigit() or len(serial) > 64:
        return None
    item = (
        OrderItem.objects.select_related(
            "order__event__venue__city", "order__event__organizer", "ticket_type__session"
        )
        .filter(pk=int(item_id), order__code=code, order__paid_at__isnull=False)
        .first()
    )
    if item is None or serial_number(item.order, item) != serial:
        return None
    return item


def pass_subject_blocked(item: OrderItem) -> bool:
    """Is the buyer of the ticket, or the person it was given to, blocked? Their pass is then
    neither registered, served nor pushed to (processing their data is stopped)."""
    order: Order = item.order
    if subject_is_blocked(email=order.email, phone=order.phone, user=order.user):
        return True
    return bool(item.holder_email) and subject_is_blocked(email=item.holder_email)


def wallet_pass_for_serial(serial: str) -> WalletPass | None:
    """The pass's update record. Read it before the ticket it describes: a pass built from
    data newer than its update time is only sent again, never missed."""
    return WalletPass.objects.filter(serial_number=serial).first()


# A change is committed a little after its update time was taken: the passes changed within
# this many seconds are listed again on the next question, so none committed late is missed
# (the phone then gets 304 for a pass it already has).
SETTLE_SECONDS = 60


@dataclass(frozen=True)
class UpdatedSerials:
    serial_numbers: list[str]
    last_updated: str


def tag_time(tag: str) -> datetime | None:
    """The time of an update tag (``None`` when it is not one of ours)."""
    if not tag.isdigit() or len(tag) > 12:
        return None
    return datetime.fromtimestamp(int(tag), tz=UTC)


def serials_updated_for_device(
    *, device_library_identifier: str, since: datetime | None
) -> UpdatedSerials | None:
    """The serial numbers of the device's passes changed after ``since`` (all of them when
    ``None``), and the tag to ask with next time; ``None`` when nothing changed. Passes of
    blocked subjects are left out: they are not updated."""
    registrations = WalletRegistration.objects.filter(
        device_library_identifier=device_library_identifier
    ).select_related("wallet_pass__item__order")
    if since is not None:
        registrations = registrations.filter(wallet_pass__updated_at__gt=since)
    passes = [
        registration.wallet_pass
        for registration in registrations.order_by("wallet_pass__updated_at", "wallet_pass_id")
        if not pass_subject_blocked(registration.wallet_pass.item)
    ]
    if not passes:
        return None
    settled = int(timezone.now().timestamp()) - SETTLE_SECONDS
    last_updated = min(int(passes[-1].update_tag), settled)
    if since is not None:
        last_updated = max(last_updated, int(since.timestamp()))
    return UpdatedSerials(
        serial_numbers=[p.serial_number for p in passes], last_updated=str(last_updated)
    )


def pass_type_known(pass_type_identifier: str) -> bool:
    return bool(pass_type_identifier == settings.WALLET_APPLE_PASS_TYPE_ID)
