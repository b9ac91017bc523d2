"""Moving a booking of a service to another time slot of the same service (the front desk's
"come on Saturday instead"): the tickets take places in the new slot and give back the old
ones in one transaction, through the same counters as a sale, so a move can never oversell."""

from collections import Counter

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Session, TicketType
from tickets.delivery.services import order_pdf_forget, tickets_email_queue_order_moved
from tickets.errors import SoldOut, TicketsError
from tickets.models import Order, OrderItem, OrderLog
from tickets.reports.services.sales_summary import sales_summary_move
from tickets.services.inventory import inventory_return, inventory_take
from tickets.soldout.services import sold_out_open_for_order
from tickets.wallet.services import wallet_passes_changed


class BookingMoveRefused(TicketsError):
    default_message = _("This booking cannot be moved.")


def slots_to_move_to(*, order: Order, limit: int = 200) -> list[Session]:
    """Slots ahead of the order's service that a booking could move to (not its own)."""
    current = set(order.items.values_list("ticket_type__session_id", flat=True))
    return list(
        Session.objects.filter(
            event_id=order.event_id, schedule__isnull=False, starts_at__gt=timezone.now()
        )
        .exclude(pk__in=current)
        .order_by("starts_at")[:limit]
    )


def _counterparts(items: list[OrderItem], target: Session) -> dict[int, TicketType]:
    """Each old ticket type → the target slot's type of the same name and price."""
    offered = {(tt.name_ru, tt.price): tt for tt in target.ticket_types.all()}
    found = {}
    for item in items:
        old = item.ticket_type
        new = offered.get((old.name_ru, old.price))
        if new is None:
            raise BookingMoveRefused(
                _("The chosen time has no ticket “%(name)s” at this price.") % {"name": old.name}
            )
        found[old.pk] = new
    return found


@transaction.atomic
def order_move_to_slot(*, order_id: int, session_id: int, actor_user: User | None = None) -> Order:
    """Move every valid ticket of a paid order to the slot ``session_id`` of the same service.

    Refused (``BookingMoveRefused``, ``SoldOut``) when a ticket was used at the door, the slot
    is past or of another service, lacks a ticket type, or has too few places left. The buyer
    gets the tickets again with the new time."""
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.status != Order.Status.PAID:
        raise BookingMoveRefused(_("Only a paid booking can be moved."))
    target = (
        Session.objects.filter(
            pk=session_id,
            event_id=order.event_id,
            schedule__isnull=False,
            starts_at__gt=timezone.now(),
        )
        .prefetch_related("ticket_types")
        .first()
    )
    if target is None:
        raise BookingMoveRefused(_("Choose a time ahead of this service."))
    items = list(
        order.items.select_for_update()
        .filter(status=OrderItem.Status.VALID)
        .select_related("ticket_type__session")
        .order_by("pk")
    )
    if not items:
        raise BookingMoveRefused(_("The booking has no valid tickets."))
    if any(item.is_open_dated for item in items):
        raise BookingMoveRefused(
            _("Open-dated tickets are valid any day: there is no time to move.")
        )
    if any(item.checked_in_at for item in items):
        raise BookingMoveRefused(_("A ticket of this booking was already used at the door."))
    if any(item.ticket_type.session_id == target.pk for item in items):
        raise BookingMoveRefused(_("The booking is already at this time."))
    new_types = _counterparts(items, target)
    per_type = Counter(item.ticket_type_id for item in items)
    for old_id, count in sorted(per_type.items()):
        try:
            inventory_take(ticket_type_id=new_types[old_id].pk, quantity=count)
        except SoldOut:
            raise SoldOut(_("Too few places are left at the chosen time.")) from None
    sales_summary_move(order, items=items, new_types=new_types)
    for old_id, count in sorted(per_type.items()):
        inventory_return(ticket_type_id=old_id, quantity=count)
        OrderItem.objects.filter(
            pk__in=[item.pk for item in items if item.ticket_type_id == old_id]
        ).update(ticket_type=new_types[old_id])
    old_start = timezone.localtime(items[0].ticket_type.session.starts_at)
    new_start = timezone.localtime(target.starts_at)
    OrderLog.objects.create(
        order=order,
        from_status=order.status,
        to_status=order.status,
        actor=actor_user if actor_user is not None and actor_user.is_authenticated else None,
        actor_label="organizer",
        note=f"Moved from {old_start:%d.%m.%Y %H:%M} to {new_start:%d.%m.%Y %H:%M}",
    )
    sold_out_open_for_order(order=order)  # perhaps into the slot's last place: event.sold_out
    order_pdf_forget(order_id=order.pk)
    tickets_email_queue_order_moved(order=order)
    wallet_passes_changed(item_ids=[item.pk for item in items])  # the passes: the new slot
    return order
