"""URLs of background work and of building a committee report (mounted at the site's root)."""

from django.urls import path

from pages import returns, views

app_name = "pages"

urlpatterns = [
    path("accessibility/", views.accessibility, name="accessibility"),
    # Browsers that ask for /favicon.ico (the admin's pages, a download) get the product's icon.
    path("favicon.ico", views.favicon, name="favicon"),
    path("jobs/<uuid:pk>/", views.job, name="job"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
    path("reports/new/", views.new_report, name="new_report"),
    path("reports/<int:pk>/prepare/<str:identifier>/", views.export_report, name="export_report"),
    path("returns/checks/", returns.return_checks, name="return_checks"),
]
