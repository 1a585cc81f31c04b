"""The sign-on journey's URLs, under /accounts/sso/ (they answer 404 while it is off)."""

from django.urls import path

from access.sso import views

urlpatterns = [
    path("start/", views.StartSignOn.as_view(), name="oidc_authentication_init"),
    path("callback/", views.FinishSignOn.as_view(), name="oidc_authentication_callback"),
    path("refused/", views.refused, name="sso_refused"),
]
