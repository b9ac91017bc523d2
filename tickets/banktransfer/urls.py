"""Routes of bank transfers: the cabinet's page and its actions."""

from django.urls import path

from tickets.banktransfer import views

urlpatterns = [
    path(
        "cabinet/<slug:organizer_slug>/bank-transfers/",
        views.bank_transfers,
        name="cabinet_bank_transfers",
    ),
    path(
        "cabinet/<slug:organizer_slug>/bank-transfers/statements/",
        views.statement_upload,
        name="cabinet_bank_statement_upload",
    ),
    path(
        "cabinet/<slug:organizer_slug>/bank-transfers/payments/<int:line_id>/",
        views.line_decide,
        name="cabinet_bank_statement_line",
    ),
    path(
        "cabinet/<slug:organizer_slug>/bank-transfers/<str:code>/paid/",
        views.mark_paid,
        name="cabinet_bank_transfer_paid",
    ),
    path(
        "cabinet/<slug:organizer_slug>/bank-transfers/<str:code>/return/",
        views.return_record,
        name="cabinet_bank_transfer_return",
    ),
]
