"""Cabinet event pages, mounted at ``/cabinet/<organizer_slug>/events/``."""

from django.urls import path

from events.schedules.urls import urlpatterns as schedules_urlpatterns
from events.seating.urls import urlpatterns as seating_urlpatterns
from events.venues.urls import urlpatterns as venues_urlpatterns
from events.views import cabinet

app_name = "events_cabinet"

urlpatterns = [
    path("", cabinet.event_list, name="event_list"),
    path("new/", cabinet.event_create, name="event_create"),
    path("<int:pk>/", cabinet.event_detail, name="event_detail"),
    path("<int:pk>/edit/", cabinet.event_edit, name="event_edit"),
    path("<int:pk>/publish/", cabinet.event_publish, name="event_publish"),
    path("<int:pk>/unpublish/", cabinet.event_unpublish, name="event_unpublish"),
    path("<int:pk>/cancel/", cabinet.event_cancel, name="event_cancel"),
    path("<int:pk>/duplicate/", cabinet.event_duplicate, name="event_duplicate"),
    path("<int:pk>/sessions/new/", cabinet.session_create, name="session_create"),
    path("sessions/<int:pk>/edit/", cabinet.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", cabinet.session_delete, name="session_delete"),
    path(
        "sessions/<int:pk>/ticket-types/new/",
        cabinet.ticket_type_create,
        name="ticket_type_create",
    ),
    path("ticket-types/<int:pk>/edit/", cabinet.ticket_type_edit, name="ticket_type_edit"),
    path("ticket-types/<int:pk>/delete/", cabinet.ticket_type_delete, name="ticket_type_delete"),
    *seating_urlpatterns,  # reserved seating: seat maps and a session's seating
    *schedules_urlpatterns,  # services: recurring schedules of time slots
    *venues_urlpatterns,  # the organizer's venues
]
