"""The email preferences page (mounted under ``account/``)."""

from django.urls import path

from notices import views

app_name = "notices"

urlpatterns = [
    path("emails/", views.preferences, name="preferences"),
]
