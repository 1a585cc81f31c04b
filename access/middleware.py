"""Session handling with one exception: pages that only watch progress do not save the session."""

from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, except after a view marked ``request.keep_session_unsaved``.

    A progress page refreshes every few seconds while an import writes. On SQLite only one
    connection writes at a time, so saving the session there would wait for the whole
    import: the page would freeze, which is what it exists to prevent. Such a page does not
    extend the session either, so a session left only watching still expires.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if getattr(request, "keep_session_unsaved", False):
            return response
        return super().process_response(request, response)
