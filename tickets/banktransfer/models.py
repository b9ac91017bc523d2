"""Bank transfers: the order waiting for one, the payment the accountant recorded, the
statements imported and their lines, and money returned by transfer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizers.models import Organizer
from tickets.models.orders import MONEY, Order
from tickets.payments.models import Payment, Refund


class BankTransfer(models.Model):
    """The buyer chose to pay the order by bank transfer: its tickets are held until
    ``deadline`` (the order's ``payment_due_at``), a reminder goes out a working day before."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="bank_transfer")
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="bank_transfer")
    amount = models.DecimalField(_("amount"), **MONEY)
    deadline = models.DateTimeField(_("pay by"))
    remind_at = models.DateTimeField(_("reminder at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("chosen at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bank transfer")
        verbose_name_plural = _("bank transfers")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["remind_at", "reminded_at"])]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.amount} by {self.deadline:%Y-%m-%d}"


class BankStatement(models.Model):
    """One uploaded statement file and what its import did."""

    organizer = models.ForeignKey(
        Organizer, on_delete=models.CASCADE, related_name="bank_statements"
    )
    file_name = models.CharField(_("file"), max_length=200)
    file_sha256 = models.CharField(max_length=64)
    account = models.CharField(_("account"), max_length=34, blank=True)
    documents = models.PositiveIntegerField(_("documents"), default=0)
    incoming = models.PositiveIntegerField(_("incoming payments"), default=0)
    new_lines = models.PositiveIntegerField(_("new payments"), default=0)
    paid = models.PositiveIntegerField(_("orders paid"), default=0)
    to_decide = models.PositiveIntegerField(_("to decide"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class BankStatementLine(models.Model):
    """An incoming payment found in a statement. ``fingerprint`` identifies the payment itself,
    so the same payment in a second import (or a longer statement) is never applied twice."""

    class Status(models.TextChoices):
        PAID = "paid", _("Order marked paid")
        RECORDED = "recorded", _("Already recorded")
        TO_DECIDE = "to_decide", _("To decide")
        IGNORED = "ignored", _("Ignored")

    class Problem(models.TextChoices):
        NONE = "", _("none")
        NO_CODE = "no_code", _("No order number in the purpose")
        SEVERAL = "several", _("Several orders in one payment")
        AMOUNT = "amount", _("The amount differs from the order's")
        NOT_WAITING = "not_waiting", _("The order is not waiting for a bank transfer")
        ALREADY_PAID = "already_paid", _("The order is already paid")
        TICKETS_GONE = "tickets_gone", _("The order expired and its tickets were sold")

    organizer = models.ForeignKey(
        Organizer, on_delete=models.CASCADE, related_name="bank_statement_lines"
    )
    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="lines")
    fingerprint = models.CharField(max_length=64)
    number = models.CharField(_("document number"), max_length=64, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    paid_on = models.DateField(_("received on"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    payer_name = models.CharField(_("payer"), max_length=300, blank=True)
    payer_bin = models.CharField(_("payer's BIN / IIN"), max_length=12, blank=True)
    payer_account = models.CharField(_("payer's account"), max_length=34, blank=True)
    purpose = models.TextField(_("purpose of payment"), blank=True)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    problem = models.CharField(
        _("problem"), max_length=20, choices=Problem.choices, blank=True, default=""
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bank statement payment")
        verbose_name_plural = _("bank statement payments")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organizer", "fingerprint"], name="bank_statement_line_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.amount} ({self.status})"


class BankTransferPayment(models.Model):
    """Money for an order that came by transfer: the date and number of the bank's document
    and who recorded it (by hand, or by importing the statement line)."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="bank_record")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+")
    paid_on = models.DateField(_("payment date"))
    document_number = models.CharField(_("payment document number"), max_length=64)
    amount = models.DecimalField(_("amount"), **MONEY)
    statement_line = models.OneToOneField(
        BankStatementLine,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bank_record",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment by bank transfer")
        verbose_name_plural = _("payments by bank transfer")
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="bank_transfer_payment_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.paid_on}: {self.amount}"


class BankTransferReturn(models.Model):
    """A refund of a bank-transfer order, made by the organizer's own transfer to the payer."""

    refund = models.OneToOneField(Refund, on_delete=models.PROTECT, related_name="bank_return")
    returned_on = models.DateField(_("return date"))
    document_number = models.CharField(_("payment document number"), max_length=64)
    amount = models.DecimalField(_("amount"), **MONEY)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("return by bank transfer")
        verbose_name_plural = _("returns by bank transfer")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.document_number} {self.returned_on}: {self.amount}"
