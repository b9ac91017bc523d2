"""Routes of ticket delivery: PDFs, re-sending, and the cabinet's per-ticket actions.

Included by ``tickets.urls`` before the order-code routes, whose ``<str:code>/`` would
otherwise swallow them."""

from django.urls import path

from tickets.delivery import views
from tickets.views import cabinet

urlpatterns = [
    path(
        "cabinet/<slug:organizer_slug>/orders/<str:code>/resend/",
        views.cabinet_order_resend,
        name="cabinet_order_resend",
    ),
    path(
        "cabinet/<slug:organizer_slug>/orders/<str:code>/tickets.pdf",
        views.cabinet_order_tickets_pdf,
        name="cabinet_order_tickets_pdf",
    ),
    path(
        "cabinet/<slug:organizer_slug>/orders/<str:code>/attachments/<int:answer_id>/",
        cabinet.order_attachment,
        name="cabinet_order_attachment",
    ),
    path(
        "cabinet/<slug:organizer_slug>/orders/<str:code>/tickets/<int:item_id>/checkin/",
        views.cabinet_item_checkin,
        name="cabinet_item_checkin",
    ),
    path(
        "cabinet/<slug:organizer_slug>/orders/<str:code>/tickets/<int:item_id>/reissue/",
        views.cabinet_item_reissue,
        name="cabinet_item_reissue",
    ),
    path("<str:code>/tickets.pdf", views.order_tickets_pdf, name="order_tickets_pdf"),
    path("<str:code>/tickets/<int:item_id>.pdf", views.order_ticket_pdf, name="order_ticket_pdf"),
    path("<str:code>/resend/", views.order_resend, name="order_resend"),
]
