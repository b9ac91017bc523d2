"""Routes of ticket delivery and the door, included by ``tickets.urls`` before the order-code
routes (which would otherwise take ``checkin`` or ``scanners`` for an order code)."""

from django.urls import path

from tickets.views import api, cabinet, checkin, delivery

urlpatterns = [
    path("api/checkin/", api.api_checkin, name="api_checkin"),
    path("api/checkin/stats/", api.api_checkin_stats, name="api_checkin_stats"),
    path("cabinet/<slug:organizer_slug>/checkin/", checkin.checkin_events, name="checkin_events"),
    path(
        "cabinet/<slug:organizer_slug>/checkin/<slug:event_slug>/",
        checkin.checkin_scanner,
        name="checkin_scanner",
    ),
    path(
        "cabinet/<slug:organizer_slug>/checkin/<slug:event_slug>/scan/",
        checkin.checkin_scan_view,
        name="checkin_scan",
    ),
    path(
        "cabinet/<slug:organizer_slug>/checkin/<slug:event_slug>/stats/",
        checkin.checkin_stats_view,
        name="checkin_stats",
    ),
    path(
        "cabinet/<slug:organizer_slug>/scanners/", checkin.scanner_devices, name="scanner_devices"
    ),
    path(
        "cabinet/<slug:organizer_slug>/scanners/<int:device_id>/revoke/",
        checkin.scanner_device_revoke_view,
        name="scanner_device_revoke",
    ),
    path(
        "cabinet/<slug:organizer_slug>/<str:code>/resend/",
        delivery.cabinet_order_resend,
        name="cabinet_order_resend",
    ),
    path(
        "cabinet/<slug:organizer_slug>/<str:code>/tickets.pdf",
        delivery.cabinet_order_tickets_pdf,
        name="cabinet_order_tickets_pdf",
    ),
    path(
        "cabinet/<slug:organizer_slug>/<str:code>/attachments/<int:answer_id>/",
        cabinet.order_attachment,
        name="cabinet_order_attachment",
    ),
    path(
        "cabinet/<slug:organizer_slug>/<str:code>/tickets/<int:item_id>/checkin/",
        delivery.cabinet_item_checkin,
        name="cabinet_item_checkin",
    ),
    path(
        "cabinet/<slug:organizer_slug>/<str:code>/tickets/<int:item_id>/reissue/",
        delivery.cabinet_item_reissue,
        name="cabinet_item_reissue",
    ),
    path("<str:code>/tickets.pdf", delivery.order_tickets_pdf, name="order_tickets_pdf"),
    path(
        "<str:code>/tickets/<int:item_id>.pdf", delivery.order_ticket_pdf, name="order_ticket_pdf"
    ),
    path("<str:code>/resend/", delivery.order_resend, name="order_resend"),
]
