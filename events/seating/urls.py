"""Cabinet routes of seat maps and a session's seating, mounted with the cabinet event pages
(``events.urls_cabinet``, namespace ``events_cabinet``)."""

from django.urls import path

from events.seating import views

urlpatterns = [
    path("seat-maps/", views.seat_map_list, name="seat_map_list"),
    path("seat-maps/<int:pk>/", views.seat_map_detail, name="seat_map_detail"),
    path("seat-maps/<int:pk>/delete/", views.seat_map_remove, name="seat_map_delete"),
    path("sessions/<int:pk>/seating/", views.session_seating, name="session_seating"),
]
