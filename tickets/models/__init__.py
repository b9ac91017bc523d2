"""Every model of the tickets app, importable from here.

The sale itself (carts with reservations, orders with one row per ticket, promo codes, checkout
questions) lives in this package; each concept package keeps its own tables in its
``models.py`` (``tickets.checkin``, ``tickets.delivery``, ``tickets.payments``,
``tickets.reports``, ``tickets.seating``): they are all models of the ``tickets`` app.
"""

from tickets.checkin.models import CheckIn, ScannerDevice
from tickets.delivery.models import EmailDelivery, TicketPdf
from tickets.models.cart import Cart, Reservation
from tickets.models.orders import Order, OrderItem, OrderLog
from tickets.models.promo import PromoCode
from tickets.models.questions import Answer, Question
from tickets.payments.models import Payment, PaymentNotification, Refund
from tickets.reports.models import AttendeeExport, AttendeeMessage, MessageDelivery
from tickets.seating.models import SeatClaim

__all__ = [
    "Answer",
    "AttendeeExport",
    "AttendeeMessage",
    "Cart",
    "CheckIn",
    "EmailDelivery",
    "MessageDelivery",
    "Order",
    "OrderItem",
    "OrderLog",
    "Payment",
    "PaymentNotification",
    "PromoCode",
    "Question",
    "Refund",
    "Reservation",
    "ScannerDevice",
    "SeatClaim",
    "TicketPdf",
]
