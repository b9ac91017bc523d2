"""Views by audience: ``public`` (cart, checkout), ``buyer`` (orders, payment), ``cabinet``
(the organizer's orders and refunds), ``callbacks`` (payment providers)."""
