"""The cabinet's list of company documents as CSV or XLSX for the accountant (through the one
safe cell writer, ``eventum.spreadsheets``)."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from eventum.spreadsheets import CellKind, csv_bytes, xlsx_bytes
from tickets.companies.selectors import DocumentRow

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
KINDS = (
    CellKind.TEXT,  # order
    CellKind.AUTO,  # placed
    CellKind.TEXT,  # status
    CellKind.TEXT,  # organisation
    CellKind.TEXT,  # БИН/ИИН
    CellKind.TEXT,  # address
    CellKind.NUMBER,  # amount
    CellKind.NUMBER,  # VAT
    CellKind.AUTO,  # invoice issued
    CellKind.AUTO,  # pay by
    CellKind.AUTO,  # paid
    CellKind.TEXT,  # act number
    CellKind.AUTO,  # act date
)


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return value.strftime("%d.%m.%Y")


def documents_table(rows: list[DocumentRow]) -> tuple[list[str], list[list[object]]]:
    headers = [
        _("Order"),
        _("Placed"),
        _("Status"),
        _("Organisation"),
        _("БИН/ИИН"),
        _("Legal address"),
        _("Amount"),
        _("VAT included"),
        _("Invoice issued"),
        _("Pay by"),
        _("Paid"),
        _("Act No."),
        _("Act date"),
    ]
    table = []
    for row in rows:
        order, invoice, act = row.order, row.invoice, row.act
        vat = act.vat_amount if act else (invoice.vat_amount if invoice else None)
        table.append(
            [
                order.code,
                _date(order.created_at),
                str(order.get_status_display()),
                row.company.legal_name,
                row.company.bin_iin,
                row.company.legal_address,
                str(order.total),
                "" if vat is None else str(vat),
                _date(invoice.created_at) if invoice else "",
                _date(invoice.due_at) if invoice else "",
                _date(order.paid_at),
                act.number_display if act else "",
                _date(act.issued_on) if act else "",
            ]
        )
    return headers, table


def documents_export_response(
    rows: list[DocumentRow], *, file_format: str, year: int | None
) -> HttpResponse:
    headers, table = documents_table(rows)
    name = f"company-documents{f'-{year}' if year else ''}.{file_format}"
    if file_format == "xlsx":
        content = xlsx_bytes(headers, table, title=_("Documents"), kinds=KINDS)
    else:
        content = csv_bytes(headers, table, kinds=KINDS)
    response = HttpResponse(content, content_type=EXPORT_FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
