"""Routes of the waiting room: the queue page and its poll, the cabinet's settings."""

from django.urls import path

from tickets.waitroom import views

urlpatterns = [
    path("queue/<int:event_id>/", views.queue_page, name="waitroom_queue"),
    path("queue/<int:event_id>/status/", views.queue_status, name="waitroom_status"),
    path(
        "cabinet/<slug:organizer_slug>/waiting-room/",
        views.cabinet_rooms,
        name="cabinet_waitrooms",
    ),
    path(
        "cabinet/<slug:organizer_slug>/waiting-room/<slug:event_slug>/",
        views.cabinet_room,
        name="cabinet_waitroom",
    ),
]
