"""URLs of recruitment. Placeholder until the app's issue lands; replace this whole file."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from access.scoping import EVERYONE, role_required


@role_required(*EVERYONE)
def placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Recruitment are coming soon.", content_type="text/plain")


app_name = "recruitment"

urlpatterns = [path("", placeholder, name="campaigns")]
