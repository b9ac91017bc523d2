"""The cabinet's bank-transfer forms: money received, a statement file, a decision on a
payment, money returned."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.banktransfer.errors import StatementInvalid
from tickets.banktransfer.statement import statement_parse

STATEMENT_MAX_BYTES = 5 * 1024 * 1024


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )


class _BankDocumentForm(forms.Form):
    document_number = forms.CharField(label=_("Payment document number"), max_length=64)

    def clean_document_number(self) -> str:
        value = self.cleaned_data["document_number"].replace("\x00", "").strip()
        if not value:
            raise forms.ValidationError(_("Enter the number of the bank's payment document."))
        return value

    def _not_in_future(self, field: str) -> Any:
        day = self.cleaned_data[field]
        if day > timezone.localdate() + timedelta(days=1):
            raise forms.ValidationError(_("The date cannot be in the future."))
        if day < timezone.localdate() - timedelta(days=366):
            raise forms.ValidationError(_("The date is more than a year ago."))
        return day


class MarkPaidForm(_BankDocumentForm):
    paid_on = _date_field(_("Payment date"))
    field_order = ["paid_on", "document_number"]

    def clean_paid_on(self) -> Any:
        return self._not_in_future("paid_on")


class ReturnForm(_BankDocumentForm):
    amount = forms.DecimalField(
        label=_("Amount returned, ₸"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    returned_on = _date_field(_("Return date"))
    field_order = ["amount", "returned_on", "document_number"]

    def clean_returned_on(self) -> Any:
        return self._not_in_future("returned_on")


class StatementForm(forms.Form):
    statement = forms.FileField(
        label=_("Bank statement (1C exchange file, .txt)"),
        help_text=_(
            "Export the statement from your bank's client in the 1C format "
            "(1CClientBankExchange), windows-1251 or UTF-8."
        ),
    )

    def __init__(self, *args: Any, account: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account
        self.raw = b""

    def clean_statement(self) -> Any:
        upload = self.cleaned_data["statement"]
        if upload.size > STATEMENT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        raw = upload.read()
        try:
            statement_parse(raw, account=self.account)
        except StatementInvalid as exc:
            raise forms.ValidationError(exc.message) from exc
        self.raw = raw
        return upload


class LineDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("pay", _("Mark the order paid")), ("ignore", _("Ignore the payment"))]
    )
    order_code = forms.CharField(label=_("Order number"), max_length=12, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "pay" and not data.get("order_code", "").strip():
            self.add_error("order_code", _("Enter the number of the order this payment is for."))
        return data
