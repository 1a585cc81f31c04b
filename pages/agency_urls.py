"""URLs of the agency pages (mounted at /agency/)."""

from django.urls import path

from pages import agency

app_name = "agency"

urlpatterns = [
    path("", agency.agency, name="agency"),
    path("spend/", agency.agency_spend, name="spend"),
]
