"""URLs of committee reports, mounted at /reports/."""

from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.reports, name="reports"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/export/<str:identifier>/", views.export, name="export"),
]
