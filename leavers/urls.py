from django.urls import path

from leavers import views

app_name = "leavers"

urlpatterns = [
    path("", views.leavers, name="leavers"),
    path("conversation/", views.conversation, name="conversation"),
]
