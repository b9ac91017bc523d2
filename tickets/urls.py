"""Routes under ``/orders/``: the sale itself here, each concept's own routes from its package.

Order matters: the concept routes come before ``cabinet/<organizer>/<str:code>/`` and
``<str:code>/``, which would otherwise take ``checkin``, ``dashboard`` or ``seats`` for an
order code."""

from django.urls import path

from tickets.checkin.urls import urlpatterns as checkin_urlpatterns
from tickets.delivery.urls import urlpatterns as delivery_urlpatterns
from tickets.payments.urls import urlpatterns as payments_urlpatterns
from tickets.reports.urls import urlpatterns as reports_urlpatterns
from tickets.seating.urls import urlpatterns as seating_urlpatterns
from tickets.setup.urls import urlpatterns as setup_urlpatterns
from tickets.views import buyer, cabinet, public
from tickets.widget import embed

app_name = "tickets"

urlpatterns = [
    path("", buyer.my_orders, name="my_orders"),
    path("cart/", public.cart_update, name="cart_update"),
    path("cart/empty/", public.cart_empty, name="cart_empty"),
    path("cart/promo/", public.promo_apply, name="promo_apply"),
    path("checkout/", public.checkout, name="checkout"),
    *seating_urlpatterns,
    *payments_urlpatterns,
    *checkin_urlpatterns,
    *delivery_urlpatterns,
    path("cabinet/<slug:organizer_slug>/", cabinet.order_list, name="cabinet_orders"),
    *setup_urlpatterns,
    path("cabinet/<slug:organizer_slug>/embed/", embed.embed, name="cabinet_embed"),
    *reports_urlpatterns,
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
