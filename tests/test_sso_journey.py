"""Single sign-on end to end: a real OpenID Connect provider (django-oauth-toolkit, RS256) runs
as its own process on 127.0.0.1, and a real HTTP client follows every redirect from the
product's sign-in page to the provider's and back, as a browser would."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from collections.abc import Iterator

import pytest
import requests
import time_machine
from django.contrib.auth import get_user_model

from access.models import SignOnIdentity
from tests import factories
from tests.sso_provider import CLIENT_ID, CLIENT_SECRET, PASSWORD, RunningProvider, start_provider

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PEOPLE = [
    {"username": "harriet", "email": "harriet@council.example", "first_name": "Harriet", "last_name": "Reid",
     "groups": ["Workforce-HR", "All-Staff"]},
    {"username": "morgan", "email": "morgan@council.example", "first_name": "Morgan", "last_name": "Lee",
     "groups": ["Team-Managers"]},
    {"username": "nobody", "email": "nobody@council.example", "groups": ["All-Staff", "Finance"]},
    {"username": "dana", "email": "dana@council.example", "groups": ["Directors"]},
]
ROLE_GROUPS = "hr=Workforce-HR;manager=Team-Managers;director=Directors;reader=Readers,Scrutiny"


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory) -> Iterator[RunningProvider]:
    os.environ["NO_PROXY"] = ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1", "localhost"]))
    running = start_provider(
        folder=tmp_path_factory.mktemp("provider"),
        redirect_uri=f"{live_server.url}/accounts/sso/callback/",
        people=PEOPLE,
    )
    yield running
    running.stop()


@pytest.fixture
def product(live_server, provider, settings) -> str:
    """Return the product's address, with single sign-on through the test provider turned on."""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_DISCOVERY_URL = provider.discovery_url
    settings.OIDC_ROLE_GROUPS = ROLE_GROUPS
    settings.OIDC_PROVIDER_NAME = "Test Council"
    return live_server.url


def sign_in(product: str, username: str, *, start: str = "/") -> tuple[requests.Session, requests.Response]:
    """Open ``start`` on the product, press "Sign in with Test Council", sign in at the
    provider, and return the browser and the page it ends on."""
    browser = requests.Session()
    browser.trust_env = False
    login = browser.get(product + start)
    assert "/accounts/login/" in login.url
    button = re.search(r'<a href="([^"]+)"[^>]*id="sign-on"[^>]*>Sign in with Test Council</a>', login.text)
    assert button, "the sign-in page offers the council's provider"
    at_provider = browser.get(product + html.unescape(button.group(1)))
    assert "Test Council: sign in" in at_provider.text, at_provider.text[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', at_provider.text).group(1)
    final = browser.post(
        at_provider.url,
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        headers={"Referer": at_provider.url},
    )
    return browser, final


def roles_of(username: str) -> set[str]:
    user = get_user_model().objects.get(username=username)
    return set(user.groups.values_list("name", flat=True))


def test_hr_signs_in_through_the_provider_and_lands_where_they_were_going(product, provider):
    browser, final = sign_in(product, "harriet", start="/establishment/")
    assert final.status_code == 200 and final.url == product + "/establishment/"
    user = get_user_model().objects.get(username="harriet")
    assert roles_of("harriet") == {"hr"}
    assert (user.email, user.first_name, user.last_name) == ("harriet@council.example", "Harriet", "Reid")
    assert user.is_staff and not user.is_superuser
    assert not user.has_usable_password(), "accounts made by single sign-on have no password here"
    identity = SignOnIdentity.objects.get(user=user)
    assert identity.issuer == provider.issuer and identity.roles == "hr"
    assert browser.get(product + "/admin/").status_code == 200
    home = browser.get(product + "/")
    assert "Your account has no role yet" not in home.text


def test_someone_in_no_mapped_group_gets_a_clear_no_access_page(product):
    browser, final = sign_in(product, "nobody")
    assert final.status_code == 403
    assert final.url == product + "/accounts/sso/refused/"
    assert "You do not have access to this service" in final.text
    assert "nobody" in final.text
    assert not get_user_model().objects.filter(username="nobody").exists()
    assert "/accounts/login/" in browser.get(product + "/").url, "no session was started"
    assert browser.get(product + "/accounts/sso/refused/").status_code == 403, "a refresh says the same"


def test_someone_taken_out_of_a_group_loses_its_role_at_their_next_sign_in(product, provider):
    sign_in(product, "dana")
    assert roles_of("dana") == {"director"}
    provider.set_groups("dana", ["Scrutiny"])
    browser, final = sign_in(product, "dana")
    assert final.status_code == 200
    assert roles_of("dana") == {"reader"}
    assert not get_user_model().objects.get(username="dana").is_staff
    assert browser.get(product + "/admin/").url.startswith(product + "/admin/login/")
    provider.set_groups("dana", [])
    _, final = sign_in(product, "dana")
    assert final.status_code == 403 and "You do not have access" in final.text
    assert roles_of("dana") == set(), "the account keeps no role the provider no longer gives"
    assert SignOnIdentity.objects.get(user__username="dana").roles == ""
    provider.set_groups("dana", ["Directors"])


def test_a_managers_teams_are_set_in_the_product_and_kept_across_sign_ins(product):
    sign_in(product, "morgan")
    assert roles_of("morgan") == {"manager"}
    morgan = get_user_model().objects.get(username="morgan")
    assert not morgan.managed_teams.exists(), "the provider says nothing about teams"
    team = factories.team("Assessment East")
    other = factories.team("Assessment West")
    team.managers.add(morgan)
    factories.post(team=team, reference="AE-1")
    factories.post(team=other, reference="AW-1")
    browser, final = sign_in(product, "morgan", start="/establishment/")
    assert final.status_code == 200
    assert list(morgan.managed_teams.all()) == [team]
    assert "AE-1" in final.text and "AW-1" not in final.text


def test_an_administrator_can_prepare_an_account_with_teams_before_the_first_sign_in(product):
    User = get_user_model()
    # A local account with a password is someone else's: it is never taken over.
    local = factories.user("morgan", "reader")
    _, final = sign_in(product, "morgan")
    assert final.status_code == 403 and "already exists" in final.text
    assert not SignOnIdentity.objects.exists()
    # Without a password it was made for the provider's person: the sign-in takes it over.
    local.set_unusable_password()
    local.save()
    team = factories.team("Fostering")
    team.managers.add(local)
    _, final = sign_in(product, "morgan")
    assert final.status_code == 200
    assert User.objects.filter(username="morgan").count() == 1
    assert roles_of("morgan") == {"manager"}, "the reader role given locally goes: roles come from groups"
    assert list(User.objects.get(username="morgan").managed_teams.all()) == [team]


def test_a_locked_account_cannot_sign_in_through_the_provider_either(product):
    browser = requests.Session()
    browser.trust_env = False
    for _ in range(5):
        page = browser.get(product + "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        browser.post(
            product + "/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": "harriet", "password": "wrong"},
            headers={"Referer": product + "/accounts/login/"},
        )
    _, final = sign_in(product, "harriet")
    assert final.status_code == 429
    assert "Account locked" in final.text


def test_a_turned_off_account_cannot_sign_in(product):
    sign_in(product, "harriet")
    get_user_model().objects.filter(username="harriet").update(is_active=False)
    _, final = sign_in(product, "harriet")
    assert final.status_code == 403 and "turned off" in final.text


def test_a_single_sign_on_session_ends_after_thirty_minutes_without_a_request(product):
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        browser, final = sign_in(product, "harriet")
        assert final.url == product + "/"
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert browser.get(product + "/establishment/").url == product + "/establishment/"
    with time_machine.travel(start + dt.timedelta(minutes=58), tick=False):
        assert browser.get(product + "/establishment/").url == product + "/establishment/"
    with time_machine.travel(start + dt.timedelta(minutes=89), tick=False):
        assert "/accounts/login/" in browser.get(product + "/establishment/").url
