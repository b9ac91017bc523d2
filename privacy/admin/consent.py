"""The consent ledger (read-only) and withdrawals staff record from letters."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from privacy.admin.base import ReadOnlyAdmin
from privacy.documents import document_check
from privacy.forms import PhoneField
from privacy.models import ConsentRecord, ConsentWithdrawal, WithdrawalAnswer
from privacy.services import consent_withdrawal_record, withdrawal_answer_record


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "subject",
        "purpose",
        "action",
        "channel",
        "policy_version",
        "policy_language",
        "source",
    )
    list_filter = ("purpose", "action", "channel", "policy_version", "created_at")
    search_fields = ("email", "phone", "user__email", "source", "browser_id", "ip_address")
    list_select_related = ("user", "policy_version")
    date_hierarchy = "created_at"
    show_full_result_count = False

    @admin.display(description=_("subject"), ordering="email")
    def subject(self, obj: ConsentRecord) -> str:
        who = obj.email or obj.phone or (obj.user.email if obj.user else "") or obj.browser_id
        return f"{who} ({obj.phone})" if obj.email and obj.phone else who


class ConsentWithdrawalForm(forms.ModelForm):
    class Meta:
        model = ConsentWithdrawal
        fields = [
            "channel",
            "received_on",
            "letter_number",
            "scan",
            "scope",
            "subject_name",
            "subject_email",
            "subject_phone",
            "subject_user",
            "note",
        ]
        field_classes = {"subject_phone": PhoneField}

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        document_check(scan or None, prefix="letter")
        return scan

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:  # recorded: read-only, only answers are added
            return cleaned
        if cleaned.get("channel") == ConsentWithdrawal.Channel.LETTER:
            for field in ("letter_number", "scan"):
                if not cleaned.get(field):
                    self.add_error(field, _("Required for a registered letter."))
        if not (
            cleaned.get("subject_email")
            or cleaned.get("subject_phone")
            or cleaned.get("subject_user")
        ):
            self.add_error("subject_email", _("Identify the subject: e-mail, phone or account."))
        return cleaned


class WithdrawalAnswerInline(admin.StackedInline):
    """Staff's reasoned answer (what processing continues, on which ground); append-only."""

    model = WithdrawalAnswer
    extra = 1
    fields = ("continued_processing", "legal_ground", "answered_by", "answered_at")
    readonly_fields = ("answered_by", "answered_at")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ConsentWithdrawal)
class ConsentWithdrawalAdmin(admin.ModelAdmin):
    """Recording a letter withdraws the consent at once; the record is then read-only."""

    form = ConsentWithdrawalForm
    inlines = (WithdrawalAnswerInline,)
    list_display = (
        "received_on",
        "letter_number",
        "subject_email",
        "subject_phone",
        "scope",
        "channel",
        "recorded_by",
        "created_at",
        "answered",
    )
    list_filter = ("scope", "channel", "received_on")
    search_fields = ("letter_number", "subject_email", "subject_phone", "subject_name", "note")
    autocomplete_fields = ("subject_user",)
    list_select_related = ("recorded_by",)
    readonly_fields = ("recorded_by", "created_at")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # Only to add an answer: the withdrawal's own fields stay read-only (see the form).
        return obj is not None and super().has_change_permission(request, obj)

    def get_inline_instances(self, request: HttpRequest, obj=None) -> list:
        # Answers come after the withdrawal is recorded, on its own page.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple[str, ...]:
        if obj is None:
            return self.readonly_fields
        return tuple(f.name for f in ConsentWithdrawal._meta.fields)

    @admin.display(boolean=True, description=_("answered"))
    def answered(self, obj: ConsentWithdrawal) -> bool:
        return obj.answers.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_formset(self, request: HttpRequest, form, formset, change) -> None:
        # commit=False: the admin's change message needs the formset's bookkeeping; the rows
        # themselves are written by the service (who answered, when).
        for answer in formset.save(commit=False):
            if answer.pk is None:
                withdrawal_answer_record(
                    withdrawal=form.instance,
                    continued_processing=answer.continued_processing,
                    legal_ground=answer.legal_ground,
                    by=request.user,
                )

    def save_model(self, request: HttpRequest, obj: ConsentWithdrawal, form, change) -> None:
        if change:  # only answers are added to a recorded withdrawal
            return
        rows = consent_withdrawal_record(withdrawal=obj, recorded_by=request.user)
        self.message_user(
            request,
            _("Consent withdrawn from now on: %(count)s ledger row(s) added.")
            % {"count": len(rows)},
            messages.SUCCESS,
        )
