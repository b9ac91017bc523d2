"""Routes of the cabinet's webhooks (included by ``organizers.urls``)."""

from django.urls import path

from organizers.webhooks import views

urlpatterns = [
    path("<slug:organizer_slug>/webhooks/", views.webhooks, name="webhooks"),
    path("<slug:organizer_slug>/webhooks/<int:pk>/", views.webhook_detail, name="webhook_detail"),
    path(
        "<slug:organizer_slug>/webhooks/<int:pk>/rotate/",
        views.webhook_rotate,
        name="webhook_rotate",
    ),
    path(
        "<slug:organizer_slug>/webhooks/<int:pk>/delete/",
        views.webhook_delete,
        name="webhook_delete",
    ),
    path(
        "<slug:organizer_slug>/webhooks/<int:pk>/toggle/",
        views.webhook_toggle,
        name="webhook_toggle",
    ),
    path(
        "<slug:organizer_slug>/webhooks/<int:pk>/deliveries/<int:delivery_id>/resend/",
        views.webhook_resend,
        name="webhook_resend",
    ),
]
