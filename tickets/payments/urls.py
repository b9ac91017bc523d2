"""Routes of payments: the test provider's and Halyk's pages, the providers' callbacks, and
the organizer's payment methods in the cabinet."""

from django.urls import path

from tickets.payments import views
from tickets.views import buyer

urlpatterns = [
    path("pay/test/<uuid:public_id>/", buyer.test_payment, name="test_payment"),
    path("pay/halyk/<uuid:public_id>/", views.halyk_payment_page, name="halyk_payment_page"),
    # CloudPayments' addresses as configured in its back office before the registry.
    path(
        "callbacks/cloudpayments/<slug:kind>/",
        views.payment_notification,
        {"provider_name": "cloudpayments"},
        name="cloudpayments_notification",
    ),
    path(
        "cabinet/<slug:organizer_slug>/payment-methods/",
        views.payment_methods,
        name="cabinet_payment_methods",
    ),
    path(
        "callbacks/<slug:provider_name>/<slug:kind>/",
        views.payment_notification,
        name="payment_notification",
    ),
]
