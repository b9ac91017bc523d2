"""Registers staff keep: claims (претензии), disclosures to third parties, security incidents."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from privacy.admin.base import (
    CorrectionAdminMixin,
    DeadlineStylesMixin,
    ReadOnlyAdmin,
    deadline_badge,
)
from privacy.forms import PhoneField
from privacy.identity import normalise_email
from privacy.models import Claim, ClaimAttachment, Disclosure, Incident

SUBJECTS_SHOWN = 200


class ClaimAttachmentInline(admin.TabularInline):
    model = ClaimAttachment
    extra = 1
    fields = ("file", "description", "uploaded_at")
    readonly_fields = ("uploaded_at",)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ClaimStateFilter(admin.SimpleListFilter):
    title = _("answer")
    parameter_name = "answer"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("soon", _("Due within 5 days")),
            ("open", _("Not answered")),
            ("answered", _("Answered")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        open_ = queryset.filter(answered_on__isnull=True)
        if self.value() == "overdue":
            return open_.filter(due_on__lt=today)
        if self.value() == "soon":
            horizon = today + timedelta(days=settings.CLAIM_REMINDER_DAYS)
            return open_.filter(due_on__gte=today, due_on__lte=horizon)
        if self.value() == "open":
            return open_
        if self.value() == "answered":
            return queryset.filter(answered_on__isnull=False)
        return queryset


class ClaimAdminForm(forms.ModelForm):
    """The claimant's e-mail and phone are stored normalised, so a subject access finds them."""

    class Meta:
        model = Claim
        exclude: tuple[str, ...] = ()
        field_classes = {"claimant_phone": PhoneField}

    def clean_claimant_email(self) -> str:
        return normalise_email(self.cleaned_data.get("claimant_email"))


@admin.register(Claim)
class ClaimAdmin(CorrectionAdminMixin, DeadlineStylesMixin, admin.ModelAdmin):
    form = ClaimAdminForm
    list_display = ("pk", "received_on", "claimant_name", "topic", "due", "answered_on")
    list_display_links = ("pk", "claimant_name")
    list_filter = (ClaimStateFilter, "channel", "received_on")
    search_fields = ("claimant_name", "claimant_email", "claimant_phone", "topic", "text")
    date_hierarchy = "received_on"
    autocomplete_fields = ("claimant_user",)
    inlines = [ClaimAttachmentInline]
    readonly_fields = ("due_on", "answered_by", "created_by", "created_at", "updated_at")
    list_select_related = ("corrected_by",)
    actions = ["mark_answered_today", "enter_correction"]
    fieldsets = (
        (
            _("Claim"),
            {
                "fields": (
                    ("received_on", "due_on"),
                    ("channel", "incoming_number"),
                    "claimant_name",
                    ("claimant_email", "claimant_phone"),
                    "claimant_address",
                    "claimant_user",
                    "topic",
                    "text",
                    "corrects",
                )
            },
        ),
        (_("Answer"), {"fields": ("answered_on", "answer_text", "answer_file", "answered_by")}),
        (
            _("Record"),
            {"fields": ("created_by", "created_at", "updated_at", "corrected_by_link")},
        ),
    )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("answer due by"), ordering="due_on")
    def due(self, obj: Claim) -> str:
        soon = obj.days_left <= settings.CLAIM_REMINDER_DAYS
        done = obj.is_answered or obj.is_corrected
        return deadline_badge(due=obj.due_on, overdue=obj.is_overdue, done=done, soon=soon)

    def save_model(self, request: HttpRequest, obj: Claim, form, change) -> None:
        staff = request.user if isinstance(request.user, User) else None
        if not change:
            obj.created_by = staff
        if obj.answered_on and obj.answered_by_id is None:
            obj.answered_by = staff
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Mark: answer sent today"))
    def mark_answered_today(self, request, queryset):
        missing = queryset.filter(answered_on__isnull=True, answer_text="", answer_file="")
        if missing.exists():
            self.message_user(
                request,
                _("Store the answer text or file on the claim first."),
                messages.ERROR,
            )
            return
        count = 0
        for claim in queryset.filter(answered_on__isnull=True):
            claim.answered_on = timezone.localdate()
            claim.answered_by = request.user
            claim.save()
            count += 1
        self.message_user(
            request, _("%(count)s claim(s) marked answered.") % {"count": count}, messages.SUCCESS
        )


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_label", "recipient", "channel", "purpose", "subject_count")
    list_filter = ("channel", "created_at")
    search_fields = ("recipient", "actor_label", "actor__email", "purpose", "subjects__subject")
    date_hierarchy = "created_at"
    readonly_fields = ("subjects_list",)
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        queryset, _duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False

    @admin.display(description=_("subjects"))
    def subjects_list(self, obj: Disclosure) -> str:
        subjects = obj.subjects.values_list("subject", flat=True)[:SUBJECTS_SHOWN]
        more = obj.subject_count - SUBJECTS_SHOWN
        html = format_html_join(", ", "{}", ((s,) for s in subjects))
        return html + (f" … (+{more})" if more > 0 else "")


class IncidentNoticeFilter(admin.SimpleListFilter):
    title = _("notifications")
    parameter_name = "notified"

    def lookups(self, request, model_admin):
        return [
            ("authority_pending", _("Authorised body not yet notified")),
            ("subjects_pending", _("Subjects not yet notified")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "authority_pending":
            return queryset.filter(authority_notified_at__isnull=True)
        if self.value() == "subjects_pending":
            return queryset.filter(subjects_notified_at__isnull=True)
        return queryset


@admin.register(Incident)
class IncidentAdmin(CorrectionAdminMixin, DeadlineStylesMixin, admin.ModelAdmin):
    list_display = (
        "detected_at",
        "title",
        "subjects_count",
        "notice_due",
        "authority_notified_at",
        "subjects_notified_at",
        "resolved_at",
    )
    list_filter = (IncidentNoticeFilter, "detected_at")
    search_fields = ("title", "description", "data_affected", "subjects_affected")
    date_hierarchy = "detected_at"
    readonly_fields = ("authority_notice_due_at", "recorded_by", "created_at", "updated_at")
    list_select_related = ("corrected_by",)
    actions = ["mark_authority_notified", "mark_subjects_notified", "enter_correction"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(
        description=_("notice to the authorised body due by"), ordering="authority_notice_due_at"
    )
    def notice_due(self, obj: Incident) -> str:
        """Red when overdue, amber while due (it always is within a working day)."""
        return deadline_badge(
            due=obj.authority_notice_due_at,
            overdue=obj.notice_overdue,
            done=obj.notice_done,
            soon=True,
        )

    def save_model(self, request: HttpRequest, obj: Incident, form, change) -> None:
        if not change and isinstance(request.user, User):
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Mark: authorised body notified now"))
    def mark_authority_notified(self, request, queryset):
        count = queryset.filter(authority_notified_at__isnull=True).update(
            authority_notified_at=timezone.now()
        )
        self.message_user(request, _("Updated: %(count)s.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Mark: subjects notified now"))
    def mark_subjects_notified(self, request, queryset):
        count = queryset.filter(subjects_notified_at__isnull=True).update(
            subjects_notified_at=timezone.now()
        )
        self.message_user(request, _("Updated: %(count)s.") % {"count": count}, messages.SUCCESS)
