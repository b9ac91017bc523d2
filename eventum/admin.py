"""Staff view of the outbox: what waits for the broker and why (read-only); allauth's
authenticators under translated names."""

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from eventum.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "task_name", "created_at", "dispatched_at", "attempts", "last_error")
    list_filter = (("dispatched_at", admin.EmptyFieldListFilter), "task_name")
    ordering = ("-id",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# allauth's MFA table has no verbose names (the admin said "Authenticators" in every
# language). Meta names set at start-up are not part of the migration state; the columns of
# the list get translated headers here instead of changing allauth's fields.
Authenticator._meta.verbose_name = _("authenticator")
Authenticator._meta.verbose_name_plural = _("authenticators")
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    raw_id_fields = ("user",)
    list_display = ("owner", "kind", "added", "last_used")
    list_filter = ("type", "created_at", "last_used_at")

    @admin.display(description=_("user"), ordering="user")
    def owner(self, obj: Authenticator) -> str:
        return str(obj.user)

    @admin.display(description=_("kind"), ordering="type")
    def kind(self, obj: Authenticator) -> str:
        return str(obj.get_type_display())

    @admin.display(description=_("added"), ordering="created_at")
    def added(self, obj: Authenticator) -> object:
        return obj.created_at

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, obj: Authenticator) -> object:
        return obj.last_used_at
