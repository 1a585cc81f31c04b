from django.urls import path

from workforce import views

app_name = "workforce"

urlpatterns = [
    path("", views.establishment, name="establishment"),
    path("download.csv", views.establishment_csv, name="establishment_csv"),
]
