"""Routes of check-in: the scanner apps' JSON API and the cabinet's scanner pages.

Included by ``tickets.urls`` before the order-code routes (which would otherwise take
``checkin`` or ``scanners`` for an order code)."""

from django.urls import path

from tickets.checkin import api, views

urlpatterns = [
    path("api/checkin/", api.api_checkin, name="api_checkin"),
    path("api/checkin/stats/", api.api_checkin_stats, name="api_checkin_stats"),
    path("cabinet/<slug:organizer_slug>/checkin/", views.checkin_events, name="checkin_events"),
    path(
        "cabinet/<slug:organizer_slug>/checkin/<slug:event_slug>/",
        views.checkin_scanner,
        name="checkin_scanner",
    ),
    path(
        "cabinet/<slug:organizer_slug>/checkin/<slug:event_slug>/scan/",
        views.checkin_scan_view,
        name="checkin_scan",
    ),
    path(
        "cabinet/<slug:organizer_slug>/checkin/<slug:event_slug>/stats/",
        views.checkin_stats_view,
        name="checkin_stats",
    ),
    path("cabinet/<slug:organizer_slug>/scanners/", views.scanner_devices, name="scanner_devices"),
    path(
        "cabinet/<slug:organizer_slug>/scanners/<int:device_id>/revoke/",
        views.scanner_device_revoke_view,
        name="scanner_device_revoke",
    ),
]
