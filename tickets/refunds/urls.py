"""Routes of refunds: the organizer's rules per event and approval queue, the buyer's return."""

from django.urls import path

from tickets.refunds import views

urlpatterns = [
    path(
        "cabinet/<slug:organizer_slug>/events/<slug:event_slug>/refund-rules/",
        views.refund_rules,
        name="cabinet_refund_rules",
    ),
    path(
        "cabinet/<slug:organizer_slug>/refund-requests/",
        views.refund_requests,
        name="cabinet_refund_requests",
    ),
    path(
        "cabinet/<slug:organizer_slug>/refund-requests/<int:request_id>/",
        views.refund_request_decide,
        name="cabinet_refund_request_decide",
    ),
    path("<str:code>/refund/", views.order_refund_page, name="order_refund"),
]
