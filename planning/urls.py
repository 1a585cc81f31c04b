from django.urls import path

from planning import views

app_name = "planning"

urlpatterns = [
    path("", views.forecast, name="forecast"),
    path("forecast.<str:format>", views.download, name="download"),
    path("scenarios/new/", views.scenario, name="new_scenario"),
    path("scenarios/<int:pk>/", views.scenario, name="scenario"),
    path("scenarios/<int:pk>/delete/", views.delete_scenario, name="delete_scenario"),
]
