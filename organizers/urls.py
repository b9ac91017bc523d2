from django.urls import path

app_name = "organizers"

urlpatterns: list[path] = []
