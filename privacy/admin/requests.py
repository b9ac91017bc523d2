"""Blocking and subject access requests: staff work them step by step against deadlines."""

import json

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.admin.base import (
    CorrectionAdminMixin,
    DeadlineStylesMixin,
    OverdueFilter,
    deadline_badge,
)
from privacy.documents import document_check
from privacy.forms import PhoneField
from privacy.models import BlockingRequest, BlockingTransition, SubjectAccessRequest
from privacy.services import (
    BlockingTransitionError,
    blocking_block,
    blocking_reject,
    blocking_request_create,
    blocking_review_start,
    blocking_unblock,
    subject_is_blocked,
)
from privacy.services.access import (
    subject_access_answer,
    subject_access_request_create,
    subject_data_collect,
)

SUBJECT_FIELDS = (
    "subject_name",
    "subject_email",
    "subject_phone",
    "subject_order_code",
    "subject_user",
)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))


def _run_step(modeladmin, request, queryset, step, **kwargs) -> None:
    done = 0
    for item in queryset:
        try:
            step(request=item, by=request.user, **kwargs)
        except BlockingTransitionError as error:
            modeladmin.message_user(request, f"№ {item.pk}: {error}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request, _("Done for %(count)s request(s).") % {"count": done}, messages.SUCCESS
        )


def _ask_reason(modeladmin, request, queryset, *, title, action, step, required=True):
    """An intermediate page asking for the reason, then the step for every selected request."""
    if "apply" in request.POST:
        form = ReasonForm(request.POST)
        form.fields["reason"].required = required
        if form.is_valid():
            _run_step(modeladmin, request, queryset, step, reason=form.cleaned_data["reason"])
            return None
    else:
        form = ReasonForm()
        form.fields["reason"].required = required
    return TemplateResponse(
        request,
        "admin/privacy/reason_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset,
            "action": action,
            "opts": modeladmin.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


class SubjectRequiredForm(forms.ModelForm):
    """The subject must be identifiable, or the service would refuse the request."""

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(field) for field in SUBJECT_FIELDS[1:]) and not any(
            getattr(self.instance, field, None) for field in SUBJECT_FIELDS[1:]
        ):
            self.add_error("subject_email", _("Identify the subject: e-mail, phone or order code."))
        return cleaned


class SubjectAccessRequestAdminForm(SubjectRequiredForm):
    class Meta:
        model = SubjectAccessRequest
        exclude: tuple[str, ...] = ()
        field_classes = {"requester_phone": PhoneField, "subject_phone": PhoneField}


class BlockingRequestAdminForm(SubjectRequiredForm):
    class Meta:
        model = BlockingRequest
        exclude: tuple[str, ...] = ()
        field_classes = {"requester_phone": PhoneField, "subject_phone": PhoneField}

    def clean_authority_document(self):
        upload = self.cleaned_data.get("authority_document")
        document_check(upload or None, prefix="authority")
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(
            "requester_kind"
        ) == BlockingRequest.RequesterKind.REPRESENTATIVE and not cleaned.get("authority_document"):
            self.add_error(
                "authority_document",
                _("A legal representative's request needs the document that gives the authority."),
            )
        return cleaned


class BlockingTransitionInline(admin.TabularInline):
    """The request's steps, from the chained, append-only log."""

    model = BlockingTransition
    extra = 0
    fields = ("at", "from_status", "to_status", "by", "reason")
    readonly_fields = fields
    ordering = ("at", "id")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(BlockingRequest)
class BlockingRequestAdmin(CorrectionAdminMixin, DeadlineStylesMixin, admin.ModelAdmin):
    form = BlockingRequestAdminForm
    inlines = [BlockingTransitionInline]
    list_select_related = ("corrected_by",)
    list_display = (
        "pk",
        "received_at",
        "subject_label",
        "requester_kind",
        "grounds",
        "status",
        "due",
        "currently_blocked",
    )
    list_display_links = ("pk", "subject_label")
    list_filter = (OverdueFilter, "status", "requester_kind", "grounds", "channel", "received_at")
    search_fields = (
        "subject_email",
        "subject_phone",
        "subject_order_code",
        "subject_name",
        "requester_name",
        "requester_email",
    )
    date_hierarchy = "received_at"
    autocomplete_fields = ("subject_user",)
    actions = ["start_review", "block", "reject", "unblock", "enter_correction"]
    fieldsets = (
        (
            _("Who asks"),
            {
                "fields": (
                    "requester_kind",
                    "requester_name",
                    "requester_email",
                    "requester_phone",
                    "authority_document",
                    "document_reference",
                    "channel",
                    "received_at",
                    "corrects",
                )
            },
        ),
        (_("Whose data"), {"fields": SUBJECT_FIELDS}),
        (_("Grounds"), {"fields": ("grounds", "grounds_details")}),
        (
            _("Progress"),
            {
                "fields": (
                    "status",
                    "due_at",
                    ("review_started_at", "review_started_by"),
                    ("blocked_at", "blocked_by"),
                    ("rejected_at", "rejected_by"),
                    "rejection_reason",
                    ("unblocked_at", "unblocked_by"),
                    "unblock_reason",
                    ("created_by", "created_at"),
                    "submitted_ip",
                    "corrected_by_link",
                )
            },
        ),
    )
    STEP_FIELDS = (
        "status",
        "due_at",
        "review_started_at",
        "review_started_by",
        "blocked_at",
        "blocked_by",
        "rejected_at",
        "rejected_by",
        "rejection_reason",
        "unblocked_at",
        "unblocked_by",
        "unblock_reason",
        "created_by",
        "created_at",
        "submitted_ip",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: BlockingRequest | None = None):
        if obj is None:
            return (*self.STEP_FIELDS, "corrected_by_link")
        if obj.is_open:  # the subject may still be completed while the request is open
            return (
                *self.STEP_FIELDS,
                "requester_kind",
                "received_at",
                "channel",
                "corrects",
                "corrected_by_link",
            )
        return [f.name for f in BlockingRequest._meta.fields if f.name != "id"] + [
            "corrected_by_link"
        ]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_inlines(self, request: HttpRequest, obj: BlockingRequest | None):
        return self.inlines if obj is not None else []  # a new request has no steps yet

    def save_model(self, request: HttpRequest, obj: BlockingRequest, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
        else:
            blocking_request_create(request=obj, created_by=request.user)

    @admin.display(description=_("answer due by"), ordering="due_at")
    def due(self, obj: BlockingRequest) -> str:
        return deadline_badge(due=obj.due_at, overdue=obj.is_overdue, done=not obj.is_open)

    @admin.display(description=_("blocked now"))
    def currently_blocked(self, obj: BlockingRequest) -> str:
        """The policy blocks from the moment of the request: open requests block provisionally."""
        if obj.is_provisional_block:
            return str(_("Yes, provisionally (until reviewed)"))
        if obj.blocks_now:
            return str(_("Yes"))
        return "—"

    @admin.display(description=_("subject"))
    def subject_label(self, obj: BlockingRequest) -> str:
        return obj.subject_label

    @admin.action(description=_("Take into review"))
    def start_review(self, request, queryset):
        _run_step(self, request, queryset, blocking_review_start)

    @admin.action(description=_("Block the subject's data"))
    def block(self, request, queryset):
        _run_step(self, request, queryset, blocking_block)

    @admin.action(description=_("Reject (with a reason)"))
    def reject(self, request, queryset):
        return _ask_reason(
            self,
            request,
            queryset,
            title=_("Reject blocking requests"),
            action="reject",
            step=blocking_reject,
        )

    @admin.action(description=_("Unblock"))
    def unblock(self, request, queryset):
        return _ask_reason(
            self,
            request,
            queryset,
            title=_("Unblock personal data"),
            action="unblock",
            step=blocking_unblock,
            required=False,
        )


@admin.register(SubjectAccessRequest)
class SubjectAccessRequestAdmin(CorrectionAdminMixin, DeadlineStylesMixin, admin.ModelAdmin):
    form = SubjectAccessRequestAdminForm
    list_display = (
        "pk",
        "received_at",
        "subject_label",
        "requester_name",
        "channel",
        "status",
        "due",
        "verified_at",
        "answered_at",
    )
    list_display_links = ("pk", "subject_label")
    list_filter = (OverdueFilter, "status", "channel", "received_at", "verified_at")
    search_fields = (
        "subject_email",
        "subject_phone",
        "subject_order_code",
        "requester_name",
        "requester_email",
    )
    date_hierarchy = "received_at"
    autocomplete_fields = ("subject_user",)
    list_select_related = ("corrected_by",)
    actions = ["mark_answered", "export_subject_data", "enter_correction"]
    readonly_fields = (
        "status",
        "due_at",
        "confirmation_email",
        "confirmation_sent_at",
        "verified_at",
        "answered_at",
        "answered_by",
        "created_by",
        "created_at",
    )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: SubjectAccessRequest, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
        else:
            subject_access_request_create(request=obj, created_by=request.user)

    @admin.display(description=_("answer due by"), ordering="due_at")
    def due(self, obj: SubjectAccessRequest) -> str:
        return deadline_badge(due=obj.due_at, overdue=obj.is_overdue, done=not obj.is_open)

    @admin.display(description=_("subject"))
    def subject_label(self, obj: SubjectAccessRequest) -> str:
        return obj.subject_label

    @admin.action(description=_("Mark as answered (today)"))
    def mark_answered(self, request, queryset):
        for item in queryset:
            subject_access_answer(request=item, by=request.user)
        self.message_user(request, _("Marked as answered."), messages.SUCCESS)

    @admin.action(description=_("Download the subject's data (JSON)"))
    def export_subject_data(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one request."), messages.WARNING)
            return None
        item = queryset.get()
        if item.needs_confirmation:
            self.message_user(
                request,
                _(
                    "The requester has not confirmed the e-mail yet: the subject's data is not "
                    "given out before that."
                ),
                messages.ERROR,
            )
            return None
        data = subject_data_collect(
            user=item.subject_user, email=item.subject_email, phone=item.subject_phone
        )
        data["subject"]["blocked"] = subject_is_blocked(
            email=item.subject_email, phone=item.subject_phone, user=item.subject_user
        )
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2, default=str),
            content_type="application/json; charset=utf-8",
        )
        stamp = timezone.localdate().strftime("%Y-%m-%d")
        response["Content-Disposition"] = (
            f'attachment; filename="subject-access-{item.pk}-{stamp}.json"'
        )
        return response
