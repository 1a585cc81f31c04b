"""The product's URLs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from access import views as access_views

admin.site.site_header = "Social work workforce"
admin.site.site_title = "Social work workforce"
admin.site.index_title = "Records"
# The product's own menu (templates/_header.html) leads everywhere; the admin's side list of
# models would take a fifth of a laptop's screen from every list and form.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", access_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/sso/", include("access.sso.urls")),
    path("account/", include("notices.urls")),
    path("establishment/", include("workforce.urls")),
    path("recruitment/", include("recruitment.urls")),
    path("leavers/", include("leavers.urls")),
    path("planning/", include("planning.urls")),
    path("agency/", include("pages.agency_urls")),
    path("reports/", include("reporting.urls")),
    path("", include("pages.urls")),
    path("admin/", admin.site.urls),
]
