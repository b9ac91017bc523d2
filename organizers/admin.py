"""Staff review organizers here: pending -> verified, or rejected with a reason (e-mailed)."""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from organizers import services
from organizers.logos import validate_logo
from organizers.models import Invitation, Membership, Organizer
from privacy.forms import PhoneField


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ("email", "role", "created_at", "expires_at", "accepted_at", "accepted_by")
    readonly_fields = ("created_at", "accepted_at", "accepted_by")
    raw_id_fields = ("accepted_by",)


class OrganizerAdminForm(forms.ModelForm):
    """The admin builds the fields from the fieldsets; this adds the rejection and logo rules."""

    class Meta:
        field_classes = {"phone": PhoneField}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo:
            validate_logo(logo)
        return logo

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == Organizer.Status.REJECTED
            and not (cleaned.get("rejection_reason") or "").strip()
        ):
            self.add_error("rejection_reason", _("Give the organizer a reason for the rejection."))
        return cleaned


@admin.register(Organizer)
class OrganizerAdmin(admin.ModelAdmin):
    form = OrganizerAdminForm
    list_display = ("public_name", "kind", "bin_iin", "status", "reviewed_at", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("public_name", "legal_name", "bin_iin", "email", "slug")
    readonly_fields = ("reviewed_at", "reviewed_by", "created_at", "updated_at")
    inlines = [MembershipInline, InvitationInline]
    actions = ["verify_selected"]
    fieldsets = (
        (_("Review"), {"fields": ("status", "rejection_reason", "reviewed_at", "reviewed_by")}),
        (_("Public"), {"fields": ("slug", "public_name", "description", "logo")}),
        (
            _("Legal profile"),
            {
                "fields": (
                    "kind",
                    "legal_name",
                    "bin_iin",
                    "legal_address",
                    "iban",
                    "bank_name",
                    "bik",
                    "kbe",
                    "vat_payer",
                    "closing_act_on",
                    "contact_person",
                    "phone",
                    "email",
                )
            },
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    def save_model(self, request: HttpRequest, obj: Organizer, form, change: bool) -> None:
        """A change of status goes through the review services, which e-mail the organizer."""
        new_status = obj.status
        if not change or "status" not in form.changed_data:
            super().save_model(request, obj, form, change)
            return
        obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)
        if new_status == Organizer.Status.VERIFIED:
            services.organizer_verify(organizer=obj, reviewer=request.user)
        elif new_status == Organizer.Status.REJECTED:
            services.organizer_reject(
                organizer=obj, reviewer=request.user, reason=obj.rejection_reason
            )
        else:
            Organizer.objects.filter(pk=obj.pk).update(status=new_status)
        obj.refresh_from_db()

    @admin.action(description=_("Verify the selected organizers (they are e-mailed)"))
    def verify_selected(self, request: HttpRequest, queryset: QuerySet[Organizer]) -> None:
        count = 0
        for organizer in queryset.exclude(status=Organizer.Status.VERIFIED):
            services.organizer_verify(organizer=organizer, reviewer=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d organizer verified.", "%(count)d organizers verified.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organizer", "role", "created_at", "accepted_at")
    list_filter = ("role",)
    search_fields = ("email", "organizer__public_name")
    raw_id_fields = ("organizer", "invited_by", "accepted_by")
    readonly_fields = ("token",)
