"""The organisation of a company order on order pages, masked as its buyer is, and its
invoice."""

from django import template

from tickets.companies.models import ClosingAct, CompanyInvoice
from tickets.companies.selectors import (
    CompanyShown,
    company_shown,
    invoice_may_be_issued,
    order_closing_act,
    order_company,
    order_invoice,
)
from tickets.models import Order

register = template.Library()


@register.simple_tag
def order_company_shown(order: Order) -> CompanyShown | None:
    """``None`` for a personal order; ``order.shown`` (set by the view) says if it is masked."""
    company = order_company(order)
    if company is None:
        return None
    shown = getattr(order, "shown", None)
    return company_shown(company, buyer_masked=bool(shown is not None and shown.masked))


@register.simple_tag
def order_invoice_state(order: Order) -> dict[str, object]:
    """``{"may_issue": bool, "invoice": CompanyInvoice | None, "act": ClosingAct | None}``
    for a company order."""
    invoice: CompanyInvoice | None = None
    act: ClosingAct | None = None
    may_issue = invoice_may_be_issued(order)
    if order_company(order) is not None:
        invoice = order_invoice(order)
        act = order_closing_act(order)
    return {"may_issue": may_issue, "invoice": invoice, "act": act}
