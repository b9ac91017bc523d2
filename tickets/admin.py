"""Staff tools for the sales path. Money records and callbacks are read-only: they are a trail."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tickets.models import (
    Answer,
    AttendeeExport,
    AttendeeMessage,
    CheckIn,
    EmailDelivery,
    MessageDelivery,
    Order,
    OrderItem,
    OrderLog,
    Payment,
    PaymentMethodSetting,
    PaymentNotification,
    PromoCode,
    Question,
    Refund,
    Reservation,
    ScannerDevice,
)
from tickets.seating import admin as seating_admin  # noqa: F401  (registers seat claims)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class OrderItemInline(ReadOnlyInline):
    model = OrderItem
    fields = ("ticket_type", "price", "discount", "amount", "status", "refund", "checked_in_at")


class OrderLogInline(ReadOnlyInline):
    model = OrderLog
    fields = ("created_at", "from_status", "to_status", "actor", "actor_label", "note")
    readonly_fields = ("created_at",)


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ("question", "value", "file_name", "file_content_type", "file_size")


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ("provider", "amount", "status", "provider_transaction_id", "completed_at")


class PaymentNotificationInline(ReadOnlyInline):
    """The provider's notifications about the order, flagged ones included (staff only)."""

    model = PaymentNotification
    fields = ("created_at", "kind", "transaction_id", "signature_valid", "needs_review", "outcome")
    readonly_fields = ("created_at",)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("code", "event", "email", "total", "status", "needs_review", "created_at")
    list_filter = ("status", "needs_review")
    search_fields = ("code", "email", "surname", "phone")
    list_select_related = ("event",)
    readonly_fields = [f.name for f in Order._meta.fields if f.name not in ("needs_review",)]
    exclude = ("secret", "idempotency_key")
    inlines = [
        OrderItemInline,
        AnswerInline,
        PaymentInline,
        PaymentNotificationInline,
        OrderLogInline,
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PromoCode)
class PromoCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "organizer", "event", "kind", "value", "times_used", "usage_limit")
    list_filter = ("kind", "is_active")
    search_fields = ("code",)
    readonly_fields = ("times_used",)
    raw_id_fields = ("event", "ticket_type")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("label", "event", "kind", "required", "position")
    list_filter = ("kind",)
    raw_id_fields = ("event",)


@admin.register(PaymentMethodSetting)
class PaymentMethodSettingAdmin(admin.ModelAdmin):
    """Staff can switch a method off for an organizer (or back on) as the cabinet page does."""

    list_display = ("organizer", "provider", "enabled", "position")
    list_filter = ("provider", "enabled")
    list_editable = ("enabled", "position")
    search_fields = ("organizer__public_name", "organizer__slug")
    raw_id_fields = ("organizer",)


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(admin.ModelAdmin):
    """Read-only trail; a notification flagged for review can only be marked reviewed."""

    list_display = (
        "created_at",
        "provider",
        "kind",
        "signature_valid",
        "needs_review",
        "outcome",
        "order",
    )
    list_filter = ("needs_review", "provider", "kind", "signature_valid")
    search_fields = ("transaction_id", "order__code")
    actions = ["mark_reviewed"]

    def has_review_permission(self, request) -> bool:
        # The admins below reuse this class for its read-only rules, not for this action.
        return self.model is PaymentNotification and request.user.has_perm(
            "tickets.change_paymentnotification"
        )

    @admin.action(description=_("Mark as reviewed"), permissions=["review"])
    def mark_reviewed(self, request, queryset) -> None:
        count = queryset.filter(needs_review=True).update(
            needs_review=False, reviewed_at=timezone.now(), reviewed_by=request.user
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d notification marked as reviewed.",
                "%(count)d notifications marked as reviewed.",
                count,
            )
            % {"count": count},
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Refund)
class RefundAdmin(PaymentNotificationAdmin):
    list_display = ("created_at", "order", "amount", "provider_refund_id", "created_by")
    list_filter = ()
    search_fields = ("order__code", "provider_refund_id")


@admin.register(Reservation)
class ReservationAdmin(PaymentNotificationAdmin):
    list_display = ("cart", "ticket_type", "quantity", "expires_at", "released_at", "order")
    list_filter = ()
    search_fields = ("order__code",)


@admin.register(CheckIn)
class CheckInAdmin(PaymentNotificationAdmin):
    list_display = ("checked_in_at", "item", "session", "scanner_label", "by_user", "device")
    list_filter = ()
    search_fields = ("item__order__code", "scanner_label")
    list_select_related = ("item__order", "session", "by_user", "device")


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(PaymentNotificationAdmin):
    list_display = ("created_at", "order", "kind", "to", "status", "attempts", "sent_at")
    list_filter = ("kind", "status")
    search_fields = ("order__code", "to")
    list_select_related = ("order",)


@admin.register(ScannerDevice)
class ScannerDeviceAdmin(admin.ModelAdmin):
    """Tokens are created in the organizer's cabinet (shown once); here they can be revoked."""

    list_display = ("label", "organizer", "token_hint", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("label", "organizer__public_name")
    readonly_fields = ("organizer", "token_hint", "created_by", "created_at", "last_used_at")
    exclude = ("token_hash",)

    def has_add_permission(self, request) -> bool:
        return False


# Reports: the organizer's exports and messages, read-only for staff (a trail of what was sent).


@admin.register(AttendeeExport)
class AttendeeExportAdmin(PaymentNotificationAdmin):
    list_display = ("created_at", "organizer", "event", "file_format", "status", "row_count")
    list_filter = ("status", "file_format")
    search_fields = ("organizer__public_name", "event__slug")
    list_select_related = ("organizer", "event")
    exclude = ("file",)  # personal data: downloaded by the organizer's team only


class MessageDeliveryInline(ReadOnlyInline):
    model = MessageDelivery
    fields = ("email", "status", "attempts", "error", "sent_at")
    readonly_fields = fields


@admin.register(AttendeeMessage)
class AttendeeMessageAdmin(PaymentNotificationAdmin):
    list_display = ("created_at", "organizer", "event", "kind", "subject", "status")
    list_filter = ("kind", "status")
    search_fields = ("subject", "organizer__public_name", "event__slug")
    list_select_related = ("organizer", "event")
    inlines = [MessageDeliveryInline]
