"""Pages of company orders: the buyer's saved organisations, and the invoice for the buyer and
for the organizer's team."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from organizers.permissions import organizer_role_required
from tickets.access import is_buyer
from tickets.buyer_privacy import buyers_disclosed, orders_shown_to_others, organizer_recipient
from tickets.companies.exports import EXPORT_FORMATS, documents_export_response
from tickets.companies.forms import DocumentsFilterForm
from tickets.companies.invoices import issue_invoice
from tickets.companies.models import ClosingAct, CompanyInvoice
from tickets.companies.roles import ROLES_COMPANY_DOCUMENTS
from tickets.companies.selectors import (
    company_documents_of,
    company_shown,
    invoice_may_be_issued,
    order_closing_act,
    order_company,
    order_invoice,
    organisations_of,
)
from tickets.companies.services import organisation_forget
from tickets.models import Order
from tickets.selectors import order_for_cabinet

INVOICE_REQUESTED = _(
    "The invoice is being prepared: it will be e-mailed to you and appear on this page."
)


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    """The organisations the buyer bought for: offered at checkout, removable here."""
    context = {"organisations": organisations_of(request.user)}
    return render(request, "tickets/companies/organisations.html", context)


@require_POST
@login_required
def organisation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not organisation_forget(user=request.user, organisation_id=pk):
        raise Http404
    messages.success(request, _("The organisation is removed from your list."))
    return redirect("tickets:organisations")


def _buyers_order(request: HttpRequest, code: str) -> Order:
    order = get_object_or_404(Order.objects.select_related("event"), code=code.upper())
    if not is_buyer(request, order):
        raise Http404
    return order


@require_POST
def invoice_request(request: HttpRequest, code: str) -> HttpResponse:
    """The buyer asks for the invoice of their company order (made and e-mailed by a worker)."""
    order = _buyers_order(request, code)
    if not invoice_may_be_issued(order):
        raise Http404
    with transaction.atomic():
        issue_invoice(order)
    messages.success(request, INVOICE_REQUESTED)
    return redirect(order.get_absolute_url())


def _document_file(document: CompanyInvoice | ClosingAct | None, filename: str) -> HttpResponse:
    """A stored invoice or act as a private download."""
    if document is None or not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def invoice_download(request: HttpRequest, code: str) -> HttpResponse:
    """The buyer's invoice PDF (their account or the order's secret link)."""
    order = _buyers_order(request, code)
    return _document_file(order_invoice(order), f"invoice-{order.code}.pdf")


@organizer_role_required(*ROLES_COMPANY_DOCUMENTS)
def cabinet_invoice_download(request: HttpRequest, organizer_slug: str, code: str) -> HttpResponse:
    """The organizer's copy of a company order's invoice. A sole proprietor's invoice names a
    person: while that buyer's data is restricted it is not handed over."""
    order = _cabinet_company_order(request, code)
    response = _document_file(order_invoice(order), f"invoice-{order.code}.pdf")
    _documents_disclosed(
        request, [order], str(_("Invoice of a company order in the organizer's cabinet"))
    )
    return response


def act_download(request: HttpRequest, code: str) -> HttpResponse:
    """The buyer's act of services rendered (their account or the order's secret link)."""
    order = _buyers_order(request, code)
    act = order_closing_act(order)
    name = f"act-{act.number_display}.pdf" if act else ""
    return _document_file(act, name)


def _cabinet_company_order(request: HttpRequest, code: str) -> Order:
    """The organizer's company order whose documents the team may have: 404 otherwise, and
    404 for a sole proprietor's documents while that buyer's data is restricted."""
    order = order_for_cabinet(organizer=request.organizer, code=code.upper())
    company = order_company(order) if order is not None else None
    if order is None or company is None:
        raise Http404
    orders_shown_to_others([order])
    if company_shown(company, buyer_masked=order.shown.masked).masked:
        raise Http404
    return order


def _documents_disclosed(request: HttpRequest, orders: list[Order], purpose: str) -> None:
    buyers_disclosed(
        actor=request.user,
        recipient=organizer_recipient(request.organizer),
        orders=orders,
        purpose=purpose,
        channel="order_page",
        fields=("company",),
    )


@organizer_role_required(*ROLES_COMPANY_DOCUMENTS)
def cabinet_act_download(request: HttpRequest, organizer_slug: str, code: str) -> HttpResponse:
    """The organizer's copy of a company order's act of services rendered."""
    order = _cabinet_company_order(request, code)
    act = order_closing_act(order)
    response = _document_file(act, f"act-{act.number_display}.pdf" if act else "")
    _documents_disclosed(request, [order], str(_("Act of a company order in the cabinet")))
    return response


@organizer_role_required(*ROLES_COMPANY_DOCUMENTS)
def company_documents(request: HttpRequest, organizer_slug: str) -> HttpResponse:
    """Invoices and acts of the organizer's company orders, with their state; CSV or XLSX for
    the accountant (``?export=csv`` / ``?export=xlsx``)."""
    form = DocumentsFilterForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    rows = company_documents_of(organizer=request.organizer, year=year)
    export = request.GET.get("export", "")
    if export in EXPORT_FORMATS:
        _documents_disclosed(
            request,
            [row.order for row in rows if not row.company.masked],
            str(_("Export of company documents from the cabinet")),
        )
        return documents_export_response(rows, file_format=export, year=year)
    query = f"year={year}&" if year else ""
    context = {"rows": rows, "form": form, "export_query": query}
    return render(request, "tickets/companies/cabinet_documents.html", context)
