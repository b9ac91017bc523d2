from django.urls import path

from privacy.views import public, staff

app_name = "privacy"

urlpatterns = [
    path("", public.policy_current_view, name="policy"),
    path("versions/<str:version>/", public.policy_version_view, name="policy_version"),
    path("unsubscribe/<str:token>/", public.unsubscribe_view, name="unsubscribe"),
    path("staff/files/<path:name>", staff.private_file_view, name="private_file"),
]
