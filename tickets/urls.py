from django.urls import path

from tickets.urls_checkin import urlpatterns as checkin_urlpatterns
from tickets.views import (
    buyer,
    cabinet,
    callbacks,
    dashboard,
    embed,
    exports,
    messages,
    public,
    seats,
    setup,
)

app_name = "tickets"

urlpatterns = [
    path("", buyer.my_orders, name="my_orders"),
    path("cart/", public.cart_update, name="cart_update"),
    path("cart/empty/", public.cart_empty, name="cart_empty"),
    path("cart/promo/", public.promo_apply, name="promo_apply"),
    path("checkout/", public.checkout, name="checkout"),
    path("seats/<int:session_id>/", seats.availability, name="seat_availability"),
    path("seats/<int:session_id>/hold/", seats.hold, name="seat_hold"),
    path("seats/<int:session_id>/release/", seats.release, name="seat_release"),
    path("seats/<int:session_id>/best/", seats.best, name="seat_best"),
    path("pay/test/<uuid:public_id>/", buyer.test_payment, name="test_payment"),
    path(
        "callbacks/cloudpayments/<slug:kind>/",
        callbacks.cloudpayments_notification,
        name="cloudpayments_notification",
    ),
    *checkin_urlpatterns,  # before the order-code routes below
    path("cabinet/<slug:organizer_slug>/", cabinet.order_list, name="cabinet_orders"),
    path(
        "cabinet/<slug:organizer_slug>/promo-codes/",
        setup.promo_codes,
        name="cabinet_promo_codes",
    ),
    path(
        "cabinet/<slug:organizer_slug>/promo-codes/<int:promo_id>/toggle/",
        setup.promo_code_toggle,
        name="cabinet_promo_code_toggle",
    ),
    path("cabinet/<slug:organizer_slug>/embed/", embed.embed, name="cabinet_embed"),
    path(
        "cabinet/<slug:organizer_slug>/events/<slug:event_slug>/questions/",
        setup.questions,
        name="cabinet_questions",
    ),
    path(
        "cabinet/<slug:organizer_slug>/events/<slug:event_slug>/questions/<int:question_id>/delete/",
        setup.question_remove,
        name="cabinet_question_delete",
    ),
    # Reports (issue 8): before the order-code route, which would swallow these words.
    path(
        "cabinet/<slug:organizer_slug>/dashboard/",
        dashboard.organizer_dashboard,
        name="cabinet_dashboard",
    ),
    path(
        "cabinet/<slug:organizer_slug>/events/<slug:event_slug>/dashboard/",
        dashboard.event_dashboard,
        name="cabinet_event_dashboard",
    ),
    path("cabinet/<slug:organizer_slug>/payout/", dashboard.payout_report, name="cabinet_payout"),
    path(
        "cabinet/<slug:organizer_slug>/events/<slug:event_slug>/export/",
        exports.attendee_export,
        name="cabinet_attendee_export",
    ),
    path("cabinet/<slug:organizer_slug>/exports/", exports.export_list, name="cabinet_exports"),
    path(
        "cabinet/<slug:organizer_slug>/events/<slug:event_slug>/messages/",
        messages.message_list,
        name="cabinet_messages",
    ),
    path(
        "cabinet/<slug:organizer_slug>/messages/<int:message_id>/",
        messages.message_report,
        name="cabinet_message",
    ),
    path(
        "cabinet/<slug:organizer_slug>/exports/<int:export_id>/download/",
        exports.export_download,
        name="cabinet_export_download",
    ),
    path(
        "cabinet/<slug:organizer_slug>/<str:code>/",
        cabinet.order_detail,
        name="cabinet_order",
    ),
    path(
        "cabinet/<slug:organizer_slug>/<str:code>/refund/",
        cabinet.order_refund_view,
        name="cabinet_order_refund",
    ),
    path("<str:code>/", buyer.order_detail, name="order_detail"),
    path("<str:code>/pay/", buyer.order_pay, name="order_pay"),
    path("<str:code>/cancel/", buyer.order_cancel_by_buyer, name="order_cancel"),
    path(
        "<str:code>/attachments/<int:answer_id>/",
        buyer.attachment_download,
        name="attachment_download",
    ),
]
