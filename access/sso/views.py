"""The sign-on journey: start at the provider, finish back here, or explain a refusal."""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings
from django.contrib import auth
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.views import View
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from access.sso.backend import BACKEND, SignOnBackend
from access.sso.claims import SignOnRefused
from access.sso.config import Provider, endpoints, provider

logger = logging.getLogger(__name__)
REFUSAL = "sso_refusal"
# The HTTP status of each refusal's page; 403 unless said here.
STATUS = {"locked": 429, "unreachable": 502, "failed": 400, "expired": 400}


def _provider_or_404() -> Provider:
    configured = provider()
    if configured is None:
        raise Http404("Single sign-on is not configured.")
    return configured


def refuse(request: HttpRequest, reason: str, **details: str) -> HttpResponseRedirect:
    """Send the browser to the page that explains why the sign-in was refused.

    The reason goes through the session so that refreshing the page shows it again
    rather than replaying a used authorization code.
    """
    logger.warning("Single sign-on refused (%s) %s", reason, details or "")
    if request.user.is_authenticated:
        auth.logout(request)
    request.session[REFUSAL] = {"reason": reason, "at": timezone.localtime().strftime("%H:%M"), **details}
    return redirect("sso_refused")


class StartSignOn(OIDCAuthenticationRequestView):
    """Send the browser to the provider, with a fresh state, nonce and PKCE challenge."""

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the endpoints are read per request, not at start-up

    def get(self, request: HttpRequest) -> HttpResponse:
        configured = _provider_or_404()
        try:
            found = endpoints(configured)
        except (requests.RequestException, ValueError, ImproperlyConfigured) as error:
            logger.error("Single sign-on: the provider's discovery document could not be read: %s", error)
            return refuse(request, "unreachable")
        self.OIDC_OP_AUTH_ENDPOINT = found.authorization
        self.OIDC_RP_CLIENT_ID = configured.client_id
        return super().get(request)


class FinishSignOn(View):
    """Take the provider's answer: check the state, exchange the code, sign the user in."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        _provider_or_404()
        states = request.session.get("oidc_states") or {}
        state = request.GET.get("state", "")
        started = states.pop(state, None)
        request.session["oidc_states"] = states  # each state is used once
        if request.GET.get("error"):
            # The provider declined: the user cancelled, or (Entra ID's AADSTS50105) is not
            # assigned to the application.
            return refuse(
                request,
                "provider_error",
                error=request.GET.get("error", ""),
                description=request.GET.get("error_description", ""),
            )
        if started is None or not request.GET.get("code"):
            return refuse(request, "expired")
        try:
            user = SignOnBackend().sign_in(
                request, nonce=started.get("nonce"), code_verifier=started.get("code_verifier")
            )
        except SignOnRefused as refusal:
            return refuse(request, refusal.reason, username=refusal.username)
        except (requests.RequestException, ValueError) as error:
            logger.error("Single sign-on: the provider failed during sign-in: %s", error)
            return refuse(request, "unreachable")
        except SuspiciousOperation as error:
            logger.error("Single sign-on: %s", error)
            return refuse(request, "failed")
        if user is None:
            return refuse(request, "failed")
        next_url = request.session.pop("oidc_login_next", None)
        request.session.pop(REFUSAL, None)
        auth.login(request, user, backend=BACKEND)
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def refused(request: HttpRequest) -> HttpResponse:
    """Explain why the provider's sign-in did not let the person in, and what to do."""
    configured = _provider_or_404()
    refusal = request.session.get(REFUSAL)
    if not refusal:
        return redirect("login")
    return render(
        request,
        "registration/sign_on_refused.html",
        {"refusal": refusal, "provider": configured, "login_url": reverse("login")},
        status=STATUS.get(refusal["reason"], 403),
    )
