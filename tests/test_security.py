"""Login, sessions and transport: lock-out, expiry, logout, headers, CSRF, subject access."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
PASSWORD = "a-long-test-password-1"
TEMPLATES = Path(__file__).resolve().parent.parent


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_sign_in_with_the_right_password(client):
    factories.user("hr1", "hr")
    response = sign_in(client, "hr1")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("workforce:establishment")).status_code == 200


def test_wrong_password_says_so_without_saying_which_part(client):
    factories.user("hr1", "hr")
    response = sign_in(client, "hr1", "wrong")
    assert response.status_code == 200
    assert "Your username and password did not match" in response.content.decode()


def test_account_locks_after_five_failed_sign_ins(client):
    factories.user("hr1", "hr")
    for _ in range(5):
        sign_in(client, "hr1", "wrong")
    locked = sign_in(client, "hr1")  # even the right password is refused now
    assert locked.status_code == 429
    assert "Account locked" in locked.content.decode()
    assert client.get(reverse("workforce:establishment")).status_code == 302


def test_lock_out_is_per_user_and_address(client):
    factories.user("hr1", "hr")
    factories.user("hr2", "hr")
    for _ in range(5):
        sign_in(client, "hr1", "wrong")
    assert sign_in(client, "hr2").status_code == 302


def test_passwords_are_validated():
    for weak in ("password123", "short", "12345678901234"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("correct-horse-battery-staple")


def test_session_expires_after_thirty_minutes_without_a_request(client):
    factories.user("hr1", "hr")
    start = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        sign_in(client, "hr1")
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get(reverse("home")).status_code == 200  # activity renews the session
    with time_machine.travel(start + dt.timedelta(minutes=58), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=89), tick=False):
        assert client.get(reverse("home")).status_code == 302


def test_logout_ends_the_session(client):
    factories.user("hr1", "hr")
    sign_in(client, "hr1")
    cookie = client.cookies["sessionid"].value
    assert client.post(reverse("logout")).status_code == 302
    stale = Client()
    stale.cookies["sessionid"] = cookie
    assert stale.get(reverse("home")).status_code == 302


def test_logout_needs_a_post(client):
    factories.user("hr1", "hr")
    sign_in(client, "hr1")
    assert client.get(reverse("logout")).status_code == 405


def test_security_headers(client):
    response = client.get(LOGIN)
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src == "'self'"
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_forms_need_csrf_tokens():
    strict = Client(enforce_csrf_checks=True)
    factories.user("hr1", "hr")
    assert strict.post(LOGIN, {"username": "hr1", "password": PASSWORD}).status_code == 403


def test_templates_have_no_inline_script_and_every_post_form_has_a_csrf_token():
    for template in TEMPLATES.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text()
        for script in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in script, f"inline script in {template}"
        for form in re.findall(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", text, flags=re.S | re.I):
            assert "csrf_token" in form, f"form without CSRF token in {template}"


def test_subject_access_export_holds_everything_about_one_worker(client):
    team = factories.team()
    person = factories.worker(first_name="Sam", last_name="Subject", staff_reference="E4242")
    factories.assign(factories.post(team=team, reference="SAR-1"), worker_=person, fte="0.8")
    factories.absence(person, reason="SIC", start=dt.date(2024, 1, 8), end=dt.date(2024, 1, 9), days="2")
    factories.worker(first_name="Other", last_name="Person")
    client.force_login(factories.user("hr1", "hr", staff=True))
    response = client.get(reverse("admin:workforce_worker_subject_access", args=[person.pk]))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["worker"]["staff_reference"] == "E4242"
    assert data["related"]["Assignments"][0]["post"] == "SAR-1"
    assert data["related"]["Assignments"][0]["fte"] == "0.8"
    assert data["related"]["Absences"][0]["working_days_lost"] == "2"
    assert data["history"], "the change history is part of what is held"
    assert "Other" not in response.content.decode()
    assert LogEntry.objects.filter(
        object_id=str(person.pk), change_message__contains="subject access"
    ).exists()


@pytest.mark.parametrize("group", ["director", "manager", "reader"])
def test_only_hr_may_produce_a_subject_access_export(client, group):
    person = factories.worker()
    client.force_login(factories.user("someone", group, staff=True))
    response = client.get(reverse("admin:workforce_worker_subject_access", args=[person.pk]))
    assert response.status_code in {302, 403}
