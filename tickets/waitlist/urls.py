"""Routes of the waiting list."""

from django.urls import path

from tickets.waitlist import views

urlpatterns = [
    path(
        "cabinet/<slug:organizer_slug>/events/<slug:event_slug>/waitlist/",
        views.waitlist_cabinet,
        name="cabinet_waitlist",
    ),
    path(
        "cabinet/<slug:organizer_slug>/events/<slug:event_slug>/waitlist/<int:ticket_type_id>/offer/",
        views.waitlist_offer_send,
        name="cabinet_waitlist_offer",
    ),
    path("waitlist/<int:ticket_type_id>/", views.waitlist_join_page, name="waitlist_join"),
    path("waitlist/offer/<str:token>/", views.waitlist_offer, name="waitlist_offer"),
    path("waitlist/leave/<str:token>/", views.waitlist_leave_page, name="waitlist_leave"),
]
