"""Routes of the reports, included by ``tickets.urls`` before the order-code route, which
would swallow these words."""

from django.urls import path

from tickets.reports.views import dashboard, exports, messages

urlpatterns = [
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
]
