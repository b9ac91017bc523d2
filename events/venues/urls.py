"""Cabinet routes of the organizer's venues, mounted with the cabinet event pages
(``events.urls_cabinet``, namespace ``events_cabinet``)."""

from django.urls import path

from events.venues import views

urlpatterns = [
    path("venues/", views.venue_list, name="venue_list"),
    path("venues/new/", views.venue_create, name="venue_create"),
    path("venues/<int:pk>/", views.venue_edit, name="venue_edit"),
]
