"""Every model of the tickets app, importable from here.

The sale itself (carts with reservations, orders with one row per ticket, promo codes, checkout
questions) lives in this package; each concept package keeps its own tables in its
``models.py`` (``tickets.checkin``, ``tickets.companies``, ``tickets.delivery``,
``tickets.payments``, ``tickets.refunds``, ``tickets.reports``, ``tickets.seating``,
``tickets.soldout``, ``tickets.transfers``, ``tickets.waitlist``, ``tickets.wallet``): they are
all models of the ``tickets`` app.
"""

from tickets.banktransfer.models import (
    BankStatement,
    BankStatementLine,
    BankTransfer,
    BankTransferPayment,
    BankTransferReturn,
)
from tickets.checkin.models import CheckIn, ScannerDevice
from tickets.companies.models import (
    ClosingAct,
    ClosingActCounter,
    CompanyInvoice,
    OrderCompany,
    SavedOrganisation,
)
from tickets.delivery.models import EmailDelivery, TicketPdf
from tickets.models.cart import Cart, Reservation
from tickets.models.orders import Order, OrderItem, OrderLog
from tickets.models.promo import PromoCode
from tickets.models.questions import Answer, Question
from tickets.payments.models import Payment, PaymentMethodSetting, PaymentNotification, Refund
from tickets.refunds.models import RefundPolicy, RefundRequest, SessionMove
from tickets.reports.models import (
    AttendeeExport,
    AttendeeMessage,
    EventSalesDay,
    MessageDelivery,
    TicketSalesDay,
)
from tickets.seating.models import SeatClaim
from tickets.soldout.models import SoldOutEpisode
from tickets.transfers.models import TicketTransfer, TransferRules
from tickets.waitlist.models import WaitlistEntry
from tickets.waitroom.models import WaitingRoom
from tickets.wallet.models import WalletPass, WalletRegistration

__all__ = [
    "Answer",
    "AttendeeExport",
    "AttendeeMessage",
    "BankStatement",
    "BankStatementLine",
    "BankTransfer",
    "BankTransferPayment",
    "BankTransferReturn",
    "Cart",
    "CheckIn",
    "ClosingAct",
    "ClosingActCounter",
    "CompanyInvoice",
    "EmailDelivery",
    "EventSalesDay",
    "MessageDelivery",
    "Order",
    "OrderCompany",
    "OrderItem",
    "OrderLog",
    "Payment",
    "PaymentMethodSetting",
    "PaymentNotification",
    "PromoCode",
    "Question",
    "Refund",
    "RefundPolicy",
    "RefundRequest",
    "Reservation",
    "SavedOrganisation",
    "ScannerDevice",
    "SeatClaim",
    "SessionMove",
    "SoldOutEpisode",
    "TicketPdf",
    "TicketSalesDay",
    "TicketTransfer",
    "TransferRules",
    "WaitingRoom",
    "WaitlistEntry",
    "WalletPass",
    "WalletRegistration",
]
