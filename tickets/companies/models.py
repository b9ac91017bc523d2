"""The organisation behind a company order and the organisations a buyer keeps."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizers.models import Organizer
from tickets.models.orders import Order
from tickets.models.questions import private_storage


class OrderCompany(models.Model):
    """The organisation (ТОО, АО, ИП, a state body) an order is bought for.

    The contact person is the order's buyer (name, phone, e-mail): their consent and blocking
    work as for any buyer. An ИП's ИИН is personal data of the entrepreneur: it is masked with
    the buyer's data when they are blocked (``tickets.companies.selectors``).
    """

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="company")
    legal_name = models.CharField(_("organisation"), max_length=300)
    bin_iin = models.CharField(_("BIN / IIN"), max_length=12)
    legal_address = models.CharField(_("legal address"), max_length=500)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation of an order")
        verbose_name_plural = _("organisations of orders")
        indexes = [models.Index(fields=["bin_iin"])]

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.bin_iin})"


class SavedOrganisation(models.Model):
    """An organisation a signed-in buyer bought for, offered at their next checkout."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_organisations"
    )
    legal_name = models.CharField(_("organisation"), max_length=300)
    bin_iin = models.CharField(_("BIN / IIN"), max_length=12)
    legal_address = models.CharField(_("legal address"), max_length=500)
    last_used_at = models.DateTimeField(_("last used at"))

    class Meta:
        verbose_name = _("saved organisation")
        verbose_name_plural = _("saved organisations")
        ordering = ["-last_used_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "bin_iin"], name="saved_organisation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.bin_iin})"


def invoice_upload_to(instance: "CompanyInvoice", filename: str) -> str:
    return f"tickets/invoices/{filename}"


class CompanyInvoice(models.Model):
    """The invoice (счёт на оплату) of a company order, as a PDF in private storage.

    Its number is the order's code (the payment purpose names it, and the bank statement
    import finds the order by it). ``fingerprint`` hashes what is printed that can change
    (amount, due date, language): a change renders the file again and e-mails it again.
    """

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="invoice")
    file = models.FileField(storage=private_storage, upload_to=invoice_upload_to, max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    vat_amount = models.DecimalField(
        _("VAT included"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    due_at = models.DateTimeField(_("pay by"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10)
    fingerprint = models.CharField(max_length=64)
    emailed_fingerprint = models.CharField(max_length=64, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.order.code


class ClosingActCounter(models.Model):
    """The last act number an organizer used in a year: acts are numbered 1, 2, 3… per
    organizer per year without gaps (the row is locked while a number is taken)."""

    organizer = models.ForeignKey(Organizer, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organizer", "year"], name="act_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organizer_id}/{self.year}: {self.last_number}"


def act_upload_to(instance: "ClosingAct", filename: str) -> str:
    return f"tickets/acts/{filename}"


class ClosingAct(models.Model):
    """The act of services rendered (акт оказанных услуг) of a paid company order, as a PDF in
    private storage, numbered per organizer per year."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="closing_act")
    organizer = models.ForeignKey(Organizer, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    issued_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    vat_amount = models.DecimalField(
        _("VAT included"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    language = models.CharField(_("language"), max_length=10)
    file = models.FileField(storage=private_storage, upload_to=act_upload_to, max_length=200)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("act of services rendered")
        verbose_name_plural = _("acts of services rendered")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organizer", "year", "number"], name="closing_act_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number_display

    @property
    def number_display(self) -> str:
        return f"{self.year}-{self.number}"
