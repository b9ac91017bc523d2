"""The organizer's refund rules form."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tickets.refunds.models import RefundPolicy


class RefundPolicyForm(forms.ModelForm):
    class Meta:
        model = RefundPolicy
        fields = [
            "refundable",
            "hours_before",
            "fee_kind",
            "fee_value",
            "keep_service_fee",
            "needs_approval",
            "moved_refund_days",
        ]
        help_texts = {
            "hours_before": _("For example 48 for two days, 3 for three hours."),
            "moved_refund_days": _(
                "Whatever the rules above, holders of a moved session get the full price back "
                "for this many days after the notice."
            ),
        }

    def clean(self) -> dict:
        data = super().clean() or {}
        kind = data.get("fee_kind")
        value = data.get("fee_value") or Decimal("0")
        if kind == RefundPolicy.Fee.PERCENT and value > 100:
            self.add_error("fee_value", _("A percentage cannot be more than 100."))
        if kind in (RefundPolicy.Fee.PERCENT, RefundPolicy.Fee.FIXED) and value <= 0:
            self.add_error("fee_value", _("Give the fee, or choose “No fee”."))
        if kind == RefundPolicy.Fee.NONE:
            data["fee_value"] = Decimal("0")
        return data
