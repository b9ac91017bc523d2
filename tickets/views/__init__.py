"""Views of the sale itself, by audience: ``public`` (cart, checkout), ``buyer`` (orders,
payment), ``cabinet`` (the organizer's orders and refunds). Each concept package
(``tickets.checkin``, ``tickets.reports``, ...) has its own views."""
