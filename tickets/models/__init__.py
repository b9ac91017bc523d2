"""Sales: carts with reservations, orders with one row per ticket, promo codes and payments."""

from tickets.models.cart import Cart, Reservation
from tickets.models.checkin import CheckIn, ScannerDevice
from tickets.models.delivery import EmailDelivery, TicketPdf
from tickets.models.orders import Order, OrderItem, OrderLog
from tickets.models.payments import Payment, PaymentNotification, Refund
from tickets.models.promo import PromoCode
from tickets.models.questions import Answer, Question
from tickets.models.reports import AttendeeExport, AttendeeMessage, MessageDelivery
from tickets.models.seats import SeatClaim

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
