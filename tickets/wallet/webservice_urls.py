"""Routes of Apple's PassKit web service, mounted at ``/wallet/apple/`` outside the language
prefixes (the address is written into every pass and must never change)."""

from django.urls import path

from tickets.wallet import webservice

urlpatterns = [
    path(
        "v1/devices/<str:device_id>/registrations/<str:pass_type>/<str:serial>",
        webservice.registration,
        name="wallet_apple_registration",
    ),
    path(
        "v1/devices/<str:device_id>/registrations/<str:pass_type>",
        webservice.updated_serials,
        name="wallet_apple_updated_serials",
    ),
    path(
        "v1/passes/<str:pass_type>/<str:serial>",
        webservice.latest_pass,
        name="wallet_apple_pass",
    ),
    path("v1/log", webservice.device_log, name="wallet_apple_log"),
]
