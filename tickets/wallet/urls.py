"""Routes of the buyer's wallet passes and calendar file (included before ``<str:code>/``)."""

from django.urls import path

from tickets.wallet import views

urlpatterns = [
    path("<str:code>/calendar.ics", views.order_calendar_ics, name="order_calendar"),
    path(
        "<str:code>/tickets/<int:item_id>.pkpass",
        views.ticket_apple_wallet,
        name="ticket_apple_wallet",
    ),
    path(
        "<str:code>/tickets/<int:item_id>/google-wallet/",
        views.ticket_google_wallet,
        name="ticket_google_wallet",
    ),
]
