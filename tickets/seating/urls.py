"""Routes of the buyer's seat map: its JSON, holding and releasing seats, best seats."""

from django.urls import path

from tickets.seating import views

urlpatterns = [
    path("seats/<int:session_id>/", views.availability, name="seat_availability"),
    path("seats/<int:session_id>/hold/", views.hold, name="seat_hold"),
    path("seats/<int:session_id>/release/", views.release, name="seat_release"),
    path("seats/<int:session_id>/best/", views.best, name="seat_best"),
]
