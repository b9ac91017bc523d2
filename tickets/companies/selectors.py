"""Reads of company orders."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User

from organizers.models import Organizer
from organizers.validators import is_iin
from tickets.buyer_privacy import orders_shown_to_others
from tickets.companies.models import ClosingAct, CompanyInvoice, OrderCompany, SavedOrganisation
from tickets.models import Order


def organisations_of(user: User | None) -> list[SavedOrganisation]:
    """The buyer's saved organisations, the most recently used first (none for a guest)."""
    if user is None or not user.is_authenticated:
        return []
    return list(SavedOrganisation.objects.filter(user=user))


def order_company(order: Order) -> OrderCompany | None:
    """The organisation an order is bought for, or ``None`` for a personal order."""
    try:
        return order.company
    except OrderCompany.DoesNotExist:
        return None


MASK = "•••"


@dataclass(frozen=True)
class CompanyShown:
    legal_name: str
    bin_iin: str
    legal_address: str
    masked: bool


def company_shown(company: OrderCompany, *, buyer_masked: bool) -> CompanyShown:
    """The organisation as someone other than the buyer may see it.

    A legal entity's name, БИН and address are not personal data and stay visible; a sole
    proprietor is identified by a person's ИИН and named after them, so when the buyer's data
    is restricted (blocked, consent withdrawn) that organisation is masked like the buyer.
    """
    if buyer_masked and is_iin(company.bin_iin):
        return CompanyShown(MASK, MASK, MASK, masked=True)
    return CompanyShown(company.legal_name, company.bin_iin, company.legal_address, masked=False)


def order_invoice(order: Order) -> CompanyInvoice | None:
    """The order's invoice, if one was issued."""
    return CompanyInvoice.objects.filter(order=order).first()


def invoice_may_be_issued(order: Order) -> bool:
    """A company order waiting for money or paid, with something to pay."""
    return (
        order_company(order) is not None
        and order.total > 0
        and order.status in (Order.Status.PENDING, Order.Status.PAID)
    )


def order_closing_act(order: Order) -> ClosingAct | None:
    """The order's act of services rendered, if one was issued."""
    return ClosingAct.objects.filter(order=order).first()


@dataclass(frozen=True)
class DocumentRow:
    """One company order in the cabinet's list of documents, as the team may see it."""

    order: Order
    company: CompanyShown
    invoice: CompanyInvoice | None
    act: ClosingAct | None


def company_documents_of(*, organizer: Organizer, year: int | None = None) -> list[DocumentRow]:
    """The organizer's company orders (newest first) with their invoice and act; contact
    persons and sole proprietors masked as the privacy guard says. ``year``: orders placed
    in that year."""
    orders = (
        Order.objects.filter(event__organizer=organizer, company__isnull=False)
        .select_related("company", "invoice", "closing_act", "event")
        .order_by("-created_at", "-id")
    )
    if year is not None:
        orders = orders.filter(created_at__year=year)
    shown = orders_shown_to_others(orders)
    rows = []
    for order in shown:
        rows.append(
            DocumentRow(
                order=order,
                company=company_shown(order.company, buyer_masked=order.shown.masked),
                invoice=_related_or_none(order, "invoice"),
                act=_related_or_none(order, "closing_act"),
            )
        )
    return rows


def _related_or_none(order: Order, name: str) -> Any:
    try:
        return getattr(order, name)
    except (CompanyInvoice.DoesNotExist, ClosingAct.DoesNotExist):
        return None
