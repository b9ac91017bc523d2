"""Routes of company orders: the buyer's saved organisations, invoices and acts; the cabinet's
copies and its list of documents."""

from django.urls import path

from tickets.companies import views

urlpatterns = [
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<int:pk>/delete/", views.organisation_delete, name="organisation_delete"),
    path("<str:code>/invoice/", views.invoice_request, name="order_invoice_request"),
    path("<str:code>/invoice/download/", views.invoice_download, name="order_invoice"),
    path("<str:code>/act/", views.act_download, name="order_act"),
    path(
        "cabinet/<slug:organizer_slug>/company-documents/",
        views.company_documents,
        name="cabinet_company_documents",
    ),
    path(
        "cabinet/<slug:organizer_slug>/orders/<str:code>/act/",
        views.cabinet_act_download,
        name="cabinet_order_act",
    ),
    path(
        "cabinet/<slug:organizer_slug>/orders/<str:code>/invoice/",
        views.cabinet_invoice_download,
        name="cabinet_order_invoice",
    ),
]
