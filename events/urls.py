from django.urls import path

from events.views import public

app_name = "events"

urlpatterns = [
    path("", public.home, name="home"),
    path("events/", public.catalogue, name="catalogue"),
    path("events/<slug:slug>/", public.event_detail, name="event_detail"),
    path("organizers/<slug:slug>/", public.organizer_detail, name="organizer_detail"),
]
