"""Single sign-on's settings, claims and refusals, without a provider (see test_sso_journey
for the whole journey through a real one)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from access.sso.backend import SignOnBackend
from access.sso.checks import sign_on_uses_https
from access.sso.claims import SignOnRefused, groups_in, person_from_claims
from access.sso.config import Endpoints, parse_role_groups, provider
from tests import factories

ENDPOINTS = {
    "OIDC_OP_ISSUER": "https://login.example.gov.uk/tenant/v2.0",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.example.gov.uk/tenant/oauth2/v2.0/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.example.gov.uk/tenant/oauth2/v2.0/token",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.example.gov.uk/tenant/discovery/v2.0/keys",
}


@pytest.fixture
def sign_on(settings):
    settings.OIDC_RP_CLIENT_ID = "client-1"
    settings.OIDC_RP_CLIENT_SECRET = "secret-1"
    settings.OIDC_ROLE_GROUPS = "hr=G-HR;manager=G-MGR;director=G-DIR;reader=G-READ,G-SCRUTINY"
    settings.OIDC_PROVIDER_NAME = "Northshire Council"
    for name, value in ENDPOINTS.items():
        setattr(settings, name, value)
    return settings


def test_the_role_mapping_reads_several_groups_per_role():
    assert parse_role_groups(" hr = Workforce-HR ; reader=Finance, Scrutiny;\n") == {
        "hr": ("Workforce-HR",),
        "reader": ("Finance", "Scrutiny"),
    }


@pytest.mark.parametrize(
    "text, message",
    [
        ("admin=G1", "'admin' is not a role"),
        ("hr=G1;hr=G2", "given twice"),
        ("hr=", "has no group"),
        ("hr G1", "should read role=group"),
    ],
)
def test_a_wrong_role_mapping_says_what_is_wrong(text, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_role_groups(text)


def test_single_sign_on_is_off_until_a_client_is_configured(settings, client):
    settings.OIDC_RP_CLIENT_ID = ""
    assert provider() is None
    assert "Sign in with" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_half_configured_single_sign_on_stops_the_start_up_checks(settings):
    settings.OIDC_RP_CLIENT_ID = "client-1"
    settings.OIDC_ROLE_GROUPS = ""
    with pytest.raises(ImproperlyConfigured, match="OIDC_RP_CLIENT_SECRET, OIDC_ROLE_GROUPS, OIDC_OP_ISSUER"):
        provider()
    with pytest.raises(SystemCheckError, match="access.E001"):
        call_command("check")


def test_production_warns_of_a_provider_over_plain_http(sign_on):
    assert sign_on_uses_https() == []
    sign_on.OIDC_OP_TOKEN_ENDPOINT = "http://login.example.gov.uk/token"
    assert [w.id for w in sign_on_uses_https()] == ["access.W001"]


def test_groups_come_as_a_list_or_one_string():
    assert groups_in({"groups": ["a", "b"]}, "groups") == ["a", "b"]
    assert groups_in({"groups": "a"}, "groups") == ["a"]
    assert groups_in({}, "groups") == []


def test_too_many_groups_is_refused_with_its_own_reason():
    # Entra ID leaves the groups out, and points to Microsoft Graph, past 200 groups.
    claims = {"sub": "s", "_claim_names": {"groups": "src1"}, "_claim_sources": {"src1": {}}}
    with pytest.raises(SignOnRefused) as refused:
        groups_in(claims, "groups")
    assert refused.value.reason == "overage"


def test_roles_come_from_the_mapped_groups_or_app_roles():
    mapping = parse_role_groups("hr=G-HR;reader=Workforce.Reader")
    person = person_from_claims(
        {"sub": "abc", "preferred_username": "jo@council.gov.uk", "roles": ["Workforce.Reader", "Other"]},
        groups_claim="roles",
        username_claim="preferred_username",
        role_groups=mapping,
    )
    assert person.roles == {"reader"} and person.username == "jo@council.gov.uk"
    nobody = person_from_claims(
        {"sub": "abc", "email": "jo@council.gov.uk", "groups": ["G-OTHER"]},
        groups_claim="groups",
        username_claim="preferred_username",
        role_groups=mapping,
    )
    assert nobody.roles == frozenset() and nobody.username == "jo@council.gov.uk"
    with pytest.raises(SignOnRefused):
        person_from_claims(
            {"groups": ["G-HR"]}, groups_claim="groups", username_claim="x", role_groups=mapping
        )


@pytest.mark.django_db
def test_the_sign_in_page_offers_the_councils_provider_and_keeps_local_accounts(sign_on, client):
    page = client.get(reverse("login") + "?next=/leavers/").content.decode()
    assert "Sign in with Northshire Council" in page
    assert 'href="/accounts/sso/start/?next=/leavers/"' in page
    assert 'name="password"' in page, "local accounts remain"
    factories.user("local1", "hr")
    response = client.post(reverse("login"), {"username": "local1", "password": "a-long-test-password-1"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_starting_sends_the_browser_to_the_provider_with_state_nonce_and_pkce(sign_on, client):
    response = client.get(reverse("oidc_authentication_init") + "?next=/leavers/")
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == ENDPOINTS["OIDC_OP_AUTHORIZATION_ENDPOINT"]
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert query["client_id"] == "client-1"
    assert query["redirect_uri"] == "http://testserver/accounts/sso/callback/"
    assert query["code_challenge_method"] == "S256" and query["code_challenge"]
    assert set(query["scope"].split()) >= {"openid", "email", "profile"}
    assert query["state"] in client.session["oidc_states"]


@pytest.mark.django_db
def test_an_unknown_or_replayed_state_is_refused_plainly(sign_on, client):
    response = client.get(reverse("oidc_authentication_callback") + "?code=c&state=forged", follow=True)
    assert response.status_code == 400
    assert "Sign-in did not complete" in response.content.decode()


@pytest.mark.django_db
def test_the_providers_own_refusal_is_shown(sign_on, client):
    client.get(reverse("oidc_authentication_init"))
    state = next(iter(client.session["oidc_states"]))
    response = client.get(
        reverse("oidc_authentication_callback"),
        {"state": state, "error": "access_denied", "error_description": "AADSTS50105: not assigned"},
        follow=True,
    )
    assert response.status_code == 403
    text = response.content.decode()
    assert "Northshire Council did not sign you in" in text and "AADSTS50105: not assigned" in text
    assert state not in client.session["oidc_states"], "a state is used once"


@pytest.mark.django_db
def test_a_provider_that_cannot_be_reached_is_named_not_a_500(sign_on, client):
    sign_on.OIDC_OP_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    sign_on.OIDC_TIMEOUT = 2
    response = client.get(reverse("oidc_authentication_init"), follow=True)
    assert response.status_code == 502
    assert "Northshire Council could not be reached" in response.content.decode()


def _backend_for(issuer: str) -> SignOnBackend:
    backend = SignOnBackend()
    backend.OIDC_RP_SIGN_ALGO = "RS256"
    backend.OIDC_RP_CLIENT_ID = "client-1"
    backend.endpoints = Endpoints(issuer=issuer, authorization="", token="", jwks="", userinfo="")
    return backend


@pytest.mark.parametrize(
    "changes, accepted",
    [
        ({}, True),
        ({"aud": "another-application"}, False),
        ({"iss": "https://login.example.gov.uk/another-tenant/v2.0"}, False),
        ({"exp": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)}, False),
    ],
)
def test_an_id_token_for_another_application_or_tenant_is_refused(changes, accepted):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    claims = {
        "sub": "s1",
        "aud": "client-1",
        "iss": ENDPOINTS["OIDC_OP_ISSUER"],
        "iat": now,
        "exp": now + dt.timedelta(minutes=5),
        **changes,
    }
    token = jwt.encode(claims, key, algorithm="RS256")
    backend = _backend_for(ENDPOINTS["OIDC_OP_ISSUER"])
    if accepted:
        assert backend._verify_jws(token, key.public_key())["sub"] == "s1"
    else:
        with pytest.raises(SuspiciousOperation):
            backend._verify_jws(token, key.public_key())


@pytest.mark.django_db
def test_administrators_see_which_accounts_sign_in_through_the_provider(admin_client):
    from django.utils import timezone

    from access.models import SignOnIdentity

    user = factories.user("jo@northshire.gov.uk", "hr")
    SignOnIdentity.objects.create(
        user=user, issuer="https://login.example/t/v2.0", subject="s1", roles="hr",
        last_signed_in=timezone.now(),
    )
    page = admin_client.get(reverse("admin:access_signonidentity_changelist"))
    assert page.status_code == 200 and "jo@northshire.gov.uk" in page.content.decode()
    assert admin_client.get(reverse("admin:access_signonidentity_add")).status_code == 403
