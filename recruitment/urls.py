from django.urls import path

from recruitment import views

app_name = "recruitment"

urlpatterns = [
    path("", views.campaigns, name="campaigns"),
    path("<int:pk>/", views.campaign, name="campaign"),
]
