"""Events with a waiting room for the bench: ``python -m bench.seed_waitroom ...``.

``--sale PRICE QUANTITY OPENS_IN_SECONDS CAP`` (repeatable) makes an event with one ticket type
and its waiting room switched on, opening that many seconds from now, letting in at most CAP a
minute; ``--ahead N`` first puts N placeholder visitors in the queue of each (for measuring a
poll while the queue is full). Prints ``<session id> <ticket type id> <event id> <slug> <opening,
epoch seconds>`` a line.
"""

from __future__ import annotations

import argparse
import os
from datetime import timedelta
from decimal import Decimal

from bench.seed_rush import ticket_type_on_sale


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sale", nargs=4, action="append", required=True)
    parser.add_argument("--ahead", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eventum.settings")
    import django

    django.setup()
    from django.utils import timezone

    from tickets.waitroom import room
    from tickets.waitroom.services import waitroom_mirror, waitroom_save

    for price, quantity, opens_in, cap in args.sale:
        ticket_type = ticket_type_on_sale(
            title="Большой концерт",
            ticket_name="Танцпол",
            price=Decimal(price),
            quantity=int(quantity),
            max_per_order=1,
            days_ahead=30,
        )
        event = ticket_type.session.event
        opens_at = timezone.now() + timedelta(seconds=float(opens_in))
        waiting_room = waitroom_save(
            event=event,
            enabled=True,
            opens_at=opens_at,
            admit_per_minute=int(cap),
            auto_enabled=False,
            auto_threshold_ms=2000,
        )
        waitroom_mirror(waiting_room=waiting_room, reset=True)
        for n in range(args.ahead):
            room.join(event.pk, f"bench-ahead-{n:08d}")
        print(ticket_type.session_id, ticket_type.pk, event.pk, event.slug, opens_at.timestamp())


if __name__ == "__main__":
    main()
