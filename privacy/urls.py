from django.urls import path

from privacy.views import access, account, public, reconsent, staff

app_name = "privacy"

urlpatterns = [
    path("", public.policy_current_view, name="policy"),
    path("versions/<str:version>/", public.policy_version_view, name="policy_version"),
    path("accept/", reconsent.policy_accept_view, name="policy_accept"),
    path("unsubscribe/<str:token>/", public.unsubscribe_view, name="unsubscribe"),
    path("cookies/", public.cookie_settings_view, name="cookie_settings"),
    path("blocking-request/", public.blocking_request_view, name="blocking_request"),
    path("access-request/", public.access_request_view, name="access_request"),
    path(
        "access-request/confirm/<str:token>/",
        access.access_confirm_view,
        name="access_confirm",
    ),
    path("account/", account.account_privacy_view, name="account"),
    path("account/marketing/", account.account_marketing_view, name="account_marketing"),
    path("account/withdraw/", account.account_withdraw_view, name="account_withdraw"),
    path(
        "account/my-data.<str:fmt>",
        account.account_data_view,
        name="account_data",
    ),
    path("staff/files/<path:name>", staff.private_file_view, name="private_file"),
]
