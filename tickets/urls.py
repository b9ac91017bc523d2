"""Routes of tickets: the buyer's under ``/orders/``, the organizer's under
``/cabinet/<organizer>/``.

Each concept keeps its routes in its own package; a route whose path starts with ``cabinet/`` is
the organizer's, every other one the buyer's (and the scanner apps'). Both lists are mounted from
here, so one cabinet holds all of an organizer's pages. Order matters: the concept routes come
before ``<str:code>/``, which would otherwise take ``checkin``, ``seats`` or ``pay`` for an order
code. Old cabinet addresses under ``/orders/cabinet/`` redirect to the new ones. The cabinet's
routes are mounted under one ``cabinet/`` prefix, so a buyer's request never tries them.
"""

from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, include, path

from tickets.banktransfer.urls import urlpatterns as banktransfer_urlpatterns
from tickets.checkin.urls import urlpatterns as checkin_urlpatterns
from tickets.companies.urls import urlpatterns as companies_urlpatterns
from tickets.delivery.urls import urlpatterns as delivery_urlpatterns
from tickets.payments.urls import urlpatterns as payments_urlpatterns
from tickets.refunds.urls import urlpatterns as refunds_urlpatterns
from tickets.reports.urls import urlpatterns as reports_urlpatterns
from tickets.retention.urls import urlpatterns as retention_urlpatterns
from tickets.seating.urls import urlpatterns as seating_urlpatterns
from tickets.setup.urls import urlpatterns as setup_urlpatterns
from tickets.transfers.urls import urlpatterns as transfers_urlpatterns
from tickets.views import buyer, cabinet, public
from tickets.waitlist.urls import urlpatterns as waitlist_urlpatterns
from tickets.waitroom.urls import urlpatterns as waitroom_urlpatterns
from tickets.wallet.urls import urlpatterns as wallet_urlpatterns
from tickets.widget import embed

app_name = "tickets"

Route = URLPattern | URLResolver
CABINET = "cabinet/"

_routes: list[Route] = [
    path("", buyer.my_orders, name="my_orders"),
    path("cart/", public.cart_update, name="cart_update"),
    path("cart/empty/", public.cart_empty, name="cart_empty"),
    path("cart/promo/", public.promo_apply, name="promo_apply"),
    path("checkout/", public.checkout, name="checkout"),
    *waitroom_urlpatterns,  # early: the queue's poll is the busiest route in a rush
    *seating_urlpatterns,
    *payments_urlpatterns,
    *checkin_urlpatterns,
    *companies_urlpatterns,
    *delivery_urlpatterns,
    *wallet_urlpatterns,
    path("cabinet/<slug:organizer_slug>/orders/", cabinet.order_list, name="cabinet_orders"),
    path(
        "cabinet/<slug:organizer_slug>/orders/suggestions/",
        cabinet.order_filter_lookup,
        name="cabinet_order_filter_lookup",
    ),
    *setup_urlpatterns,
    *retention_urlpatterns,
    *refunds_urlpatterns,
    *banktransfer_urlpatterns,
    *transfers_urlpatterns,
    *waitlist_urlpatterns,
    path("cabinet/<slug:organizer_slug>/embed/", embed.embed, name="cabinet_embed"),
    *reports_urlpatterns,
    path(
        "cabinet/<slug:organizer_slug>/orders/<str:code>/",
        cabinet.order_detail,
        name="cabinet_order",
    ),
    path(
        "cabinet/<slug:organizer_slug>/orders/<str:code>/refund/",
        cabinet.order_refund_view,
        name="cabinet_order_refund",
    ),
    path(
        "cabinet/<slug:organizer_slug>/orders/<str:code>/move/",
        cabinet.order_move,
        name="cabinet_order_move",
    ),
    path("cabinet/<slug:organizer_slug>/", cabinet.cabinet_moved, name="cabinet_moved"),
    path("cabinet/<slug:organizer_slug>/<path:rest>", cabinet.cabinet_moved, name="cabinet_moved"),
    path("<str:code>/", buyer.order_detail, name="order_detail"),
    path("<str:code>/pay/", buyer.order_pay, name="order_pay"),
    path("<str:code>/cancel/", buyer.order_cancel_by_buyer, name="order_cancel"),
    path(
        "<str:code>/attachments/<int:answer_id>/",
        buyer.attachment_download,
        name="attachment_download",
    ),
]


def _is_cabinet(route: Route) -> bool:
    return str(route.pattern).startswith(CABINET) and route.name != "cabinet_moved"


def _under_cabinet(route: Route) -> URLPattern:
    """The route mounted under ``cabinet/``: every other request passes all of them over with
    one failed prefix instead of trying each."""
    if not isinstance(route, URLPattern):
        raise ImproperlyConfigured(f"A cabinet route must be a single view: {route!r}")
    return path(
        str(route.pattern).removeprefix(CABINET),
        route.callback,
        route.default_args,
        name=route.name,
    )


urlpatterns = [
    path("orders/", include([route for route in _routes if not _is_cabinet(route)])),
    path(
        CABINET,
        include([_under_cabinet(route) for route in _routes if _is_cabinet(route)]),
    ),
]
