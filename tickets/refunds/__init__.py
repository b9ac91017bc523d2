"""Refunds the buyer asks for: the organizer's refund rules per event (``rules``, ``models``),
the buyer's self-service refund and the organizer's approval queue (``services``, ``views``),
and the full refund a moved session gives its ticket holders."""
