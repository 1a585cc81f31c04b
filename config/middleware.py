"""Refusing a request body that is too large before any of it is read."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose declared body is over ``REQUEST_MAX_BYTES``.

    Django's own limits on uploads apply once the body has been received (a file's size is
    known only then); this one looks at ``Content-Length`` first, so a 2 GB upload is turned
    away at once rather than written to disk. The reverse proxy should refuse the same size
    (nginx: ``client_max_body_size``), which also covers bodies sent without a length.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(getattr(settings, "REQUEST_MAX_BYTES", 50 * 2**20))
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            size = int(declared)
        except ValueError:
            return HttpResponse(
                "The request's Content-Length is not a number.\n", status=400, content_type="text/plain"
            )
        if size > limit:
            return HttpResponse(
                f"This upload is {size / 2**20:,.1f} MB, more than the {limit / 2**20:,.0f} MB this service "
                "accepts in one request. Nothing was read or saved. Upload fewer or smaller files, or "
                "split the extract.\n",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
