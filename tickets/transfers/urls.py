"""Routes of transfers: the organizer's rules per event, the buyer's hand-over."""

from django.urls import path

from tickets.transfers import views

urlpatterns = [
    path(
        "cabinet/<slug:organizer_slug>/events/<slug:event_slug>/transfer-rules/",
        views.transfer_rules,
        name="cabinet_transfer_rules",
    ),
    path("<str:code>/transfer/", views.order_transfer_page, name="order_transfer"),
]
