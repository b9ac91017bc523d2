"""Routes of payments: the test provider's page and the providers' callbacks."""

from django.urls import path

from tickets.payments import views
from tickets.views import buyer

urlpatterns = [
    path("pay/test/<uuid:public_id>/", buyer.test_payment, name="test_payment"),
    path(
        "callbacks/cloudpayments/<slug:kind>/",
        views.cloudpayments_notification,
        name="cloudpayments_notification",
    ),
]
