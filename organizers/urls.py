from django.urls import path

from organizers import views
from organizers.webhooks.urls import urlpatterns as webhook_urlpatterns

app_name = "organizers"

urlpatterns = [
    path("", views.cabinet_index, name="cabinet"),
    path("new/", views.organizer_create, name="organizer_create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<slug:organizer_slug>/", views.dashboard, name="dashboard"),
    path("<slug:organizer_slug>/profile/", views.profile_edit, name="profile"),
    path("<slug:organizer_slug>/team/", views.team, name="team"),
    path("<slug:organizer_slug>/team/<int:pk>/role/", views.member_role, name="member_role"),
    path("<slug:organizer_slug>/team/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("<slug:organizer_slug>/api-keys/", views.api_keys, name="api_keys"),
    path(
        "<slug:organizer_slug>/api-keys/<int:pk>/revoke/",
        views.api_key_revoke,
        name="api_key_revoke",
    ),
    path(
        "<slug:organizer_slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    *webhook_urlpatterns,
]
