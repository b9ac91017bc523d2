from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.policy_current_view, name="policy"),
    path("versions/<str:version>/", views.policy_version_view, name="policy_version"),
]
