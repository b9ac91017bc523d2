"""Cabinet routes of services' schedules, mounted with the cabinet event pages
(``events.urls_cabinet``, namespace ``events_cabinet``)."""

from django.urls import path

from events.schedules import views

urlpatterns = [
    path("<int:pk>/day/", views.service_day, name="service_day"),
    path("<int:pk>/schedules/new/", views.schedule_create, name="schedule_create"),
    path("<int:pk>/open-dated/new/", views.open_dated_create, name="open_dated_create"),
    path("schedules/<int:pk>/", views.schedule_edit, name="schedule_edit"),
    path(
        "schedules/<int:pk>/exceptions/",
        views.schedule_exception_add,
        name="schedule_exception_add",
    ),
    path(
        "schedule-exceptions/<int:pk>/delete/",
        views.schedule_exception_remove,
        name="schedule_exception_remove",
    ),
]
