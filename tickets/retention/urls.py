"""Route of the organizer's destruction of an event's personal data."""

from django.urls import path

from tickets.retention import views

urlpatterns = [
    path(
        "cabinet/<slug:organizer_slug>/events/<slug:event_slug>/personal-data/",
        views.event_data_destroy,
        name="cabinet_event_data_destroy",
    ),
]
