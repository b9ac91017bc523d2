"""Policy versions: drafts are edited, then published; published ones are frozen."""

from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from privacy.models import PolicyVersion
from privacy.retention import policy_periods_mismatch
from privacy.services import PolicyAlreadyPublished, policy_current, policy_publish


class PublishedFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("yes", _("Published")), ("no", _("Draft"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(published_at__isnull=self.value() == "no")
        return queryset


@admin.register(PolicyVersion)
class PolicyVersionAdmin(TranslationAdmin):
    list_display = (
        "version",
        "published_at",
        "is_current",
        "material",
        "languages",
        "short_hash",
        "created_at",
    )
    list_filter = (PublishedFilter,)
    search_fields = ("version", "text_ru")
    readonly_fields = ("published_at", "content_hash", "created_at")
    actions = ["publish_selected", "copy_to_draft"]

    @admin.display(description=_("in force"), boolean=True)
    def is_current(self, obj: PolicyVersion) -> bool:
        current = getattr(self, "_current", None)
        return current is not None and current.pk == obj.pk

    @admin.display(description=_("texts"))
    def languages(self, obj: PolicyVersion) -> str:
        missing = obj.missing_languages()
        present = [code for code, _name in settings.LANGUAGES if code not in missing]
        text = " ".join(present)
        if missing:
            text += " — " + _("missing: %(languages)s") % {"languages": " ".join(missing)}
        return text

    def save_model(self, request: HttpRequest, obj: PolicyVersion, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._warn_missing_languages(request, obj)
        self._warn_retention_periods(request, obj)

    def _warn_retention_periods(self, request: HttpRequest, policy: PolicyVersion) -> None:
        """The periods the text states must be the ones the code enforces (the settings)."""
        for code, name in settings.LANGUAGES:
            problems = policy_periods_mismatch(getattr(policy, f"text_{code}", "") or "")
            if problems:
                self.message_user(
                    request,
                    _(
                        "The %(language)s text of version %(version)s states other retention "
                        "periods than the settings the site enforces: %(problems)s. Correct the "
                        "text (or the settings) before publishing."
                    )
                    % {
                        "language": name,
                        "version": policy.version,
                        "problems": "; ".join(problems),
                    },
                    messages.WARNING,
                )

    def _warn_missing_languages(self, request: HttpRequest, policy: PolicyVersion) -> None:
        missing = policy.missing_languages()
        if missing:
            names = dict(settings.LANGUAGES)
            self.message_user(
                request,
                _(
                    "Version %(version)s has no text in: %(languages)s. Add it before "
                    "publishing: until then readers of that language see the Russian text."
                )
                % {
                    "version": policy.version,
                    "languages": ", ".join(str(names[code]) for code in missing),
                },
                messages.WARNING,
            )

    @admin.display(description=_("SHA-256 of the text"))
    def short_hash(self, obj: PolicyVersion) -> str:
        return obj.content_hash[:12] + "…" if obj.content_hash else "—"

    def get_queryset(self, request: HttpRequest):
        self._current = policy_current()
        return super().get_queryset(request)

    def get_readonly_fields(self, request: HttpRequest, obj: PolicyVersion | None = None):
        if obj is not None and obj.is_published:
            return [f.name for f in obj._meta.fields]
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: PolicyVersion | None = None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # published versions must never be deleted
        return actions

    @admin.action(description=_("Publish the selected drafts (they take effect now)"))
    def publish_selected(self, request: HttpRequest, queryset) -> None:
        for policy in queryset.order_by("created_at"):
            try:
                policy_publish(policy=policy)
            except PolicyAlreadyPublished:
                self.message_user(
                    request,
                    _("Version %(version)s is already published: it can only be superseded.")
                    % {"version": policy.version},
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    (
                        _(
                            "Version %(version)s is published and in force. It is a material "
                            "change: signed-in buyers will be asked to accept it and the "
                            "cookie banner shows again."
                        )
                        if policy.material
                        else _("Version %(version)s is published and in force.")
                    )
                    % {"version": policy.version},
                    messages.SUCCESS,
                )
                self._warn_missing_languages(request, policy)
                self._warn_retention_periods(request, policy)

    @admin.action(description=_("Copy into a new draft (to supersede it)"))
    def copy_to_draft(self, request: HttpRequest, queryset) -> None:
        for policy in queryset:
            number = 1
            while PolicyVersion.objects.filter(version=f"{policy.version}-draft{number}").exists():
                number += 1
            draft = PolicyVersion(version=f"{policy.version}-draft{number}"[:20])
            for field in ("text", "text_ru", "text_kk", "text_en"):
                setattr(draft, field, getattr(policy, field))
            draft.save()
            self.message_user(
                request,
                _("Draft %(version)s created: edit it, give it a number, then publish.")
                % {"version": draft.version},
                messages.SUCCESS,
            )
