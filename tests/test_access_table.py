"""Who may reach what: every URL of the product, for every kind of user and a visitor.

The table below is the product's access policy. The test walks every URL the project
routes (pages, downloads, exports, admin changelists, change forms and custom admin
pages) and fails when a URL has no row here, so a new page cannot ship unreviewed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from axes.models import AccessFailureLog
from django.contrib import admin
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from access.models import SignOnIdentity
from dataio.models import ImportRun
from jobs.tasks import email_job_outcome
from recruitment.models import Application
from reporting import services as reporting_services
from tests import factories
from tests import factories_agency as agency_f
from tests import factories_leavers as leavers_f
from tests import factories_planning as planning_f
from tests import factories_recruitment as recruitment_f
from tests import factories_reporting as reporting_f
from tests.factories_caseloads import comparator
from workforce.models import AbsenceReason

ROLES = ("anonymous", "hr", "manager", "director", "reader", "admin")
ALL_OK = {role: 200 for role in ROLES} | {"anonymous": 302}
NOT_ANON = ALL_OK


def only(*allowed: str, others: int = 403, staff_only: bool = False) -> dict[str, int]:
    """Return 200 for ``allowed`` roles, 302 for a visitor, ``others`` for the rest.

    With ``staff_only``, signed-in users who are not staff are sent to the admin's login (302).
    """
    statuses = {role: (200 if role in allowed else others) for role in ROLES}
    statuses["anonymous"] = 302
    if staff_only:
        for role in ("manager", "reader"):
            statuses[role] = 302
    return statuses


def every(status: int) -> dict[str, int]:
    return {role: status for role in ROLES}


@dataclass(frozen=True)
class Row:
    """One URL to visit: its name, how to fill its arguments from the world, and who gets what."""

    name: str
    expected: dict[str, int]
    kwargs: Any = None  # callable(world) -> dict, or None
    query: Any = None  # callable(world) -> dict, or None
    label: str = ""


PAGES: list[Row] = [
    Row("login", every(200)),
    Row("pages:accessibility", every(200)),  # the accessibility statement is public, by law
    Row("pages:favicon", every(301)),
    Row("logout", every(405)),  # signing out is a POST
    # Single sign-on's journey: not there while it is off, as here (tests/test_sso*.py turn it on).
    Row("oidc_authentication_init", every(404)),
    Row("oidc_authentication_callback", every(404)),
    Row("sso_refused", every(404)),
    Row("home", NOT_ANON),
    Row("workforce:establishment", NOT_ANON),
    Row("workforce:establishment_csv", NOT_ANON),
    Row("recruitment:campaigns", NOT_ANON),
    Row(
        "recruitment:campaign",
        NOT_ANON,
        kwargs=lambda w: {"pk": w["campaign_mine"].pk},
        label="a campaign for the manager's team",
    ),
    Row(
        "recruitment:campaign",
        only("hr", "director", "reader", "admin", others=404),
        kwargs=lambda w: {"pk": w["campaign_other"].pk},
        label="a campaign only for another team",
    ),
    Row("leavers:leavers", NOT_ANON),
    # Managers see their own teams' agency workers; readers the figures, never names
    # (tests/test_agency_pages.py).
    Row("agency:agency", NOT_ANON),
    Row("agency:spend", NOT_ANON),
    Row(
        "leavers:conversation",
        only("hr", "manager", "admin"),
        query=lambda w: {"leaver": w["leaver_mine"].pk},
        label="the manager's own leaver",
    ),
    Row(
        "leavers:conversation",
        only("hr", "admin") | {"manager": 404},
        query=lambda w: {"leaver": w["leaver_other"].pk},
        label="another team's leaver",
    ),
    Row("planning:forecast", NOT_ANON),
    Row("planning:download", NOT_ANON, kwargs=lambda w: {"format": "csv"}),
    Row("planning:new_scenario", only("hr", "manager", "director", "admin")),
    Row(
        "planning:scenario",
        NOT_ANON,
        kwargs=lambda w: {"pk": w["scenario_shared"].pk},
        label="a shared scenario",
    ),
    Row(
        "planning:scenario",
        only("hr", others=404),
        kwargs=lambda w: {"pk": w["scenario_private"].pk},
        label="HR's own scenario, not shared",
    ),
    Row("planning:delete_scenario", every(405), kwargs=lambda w: {"pk": w["scenario_private"].pk}),  # a POST
    Row("reporting:reports", NOT_ANON),
    Row("pages:new_report", only("director", "admin")),
    Row(
        "pages:export_report",  # starts a background export: a POST
        every(405),
        kwargs=lambda w: {"pk": w["published"].pk, "identifier": "json"},
    ),
    Row("pages:job", only(others=404), kwargs=lambda w: {"pk": uuid.uuid4()}, label="someone else's job"),
    Row("pages:job_download", only(others=404), kwargs=lambda w: {"pk": uuid.uuid4()}),
    Row("pages:return_checks", only("hr", "director", "admin")),
    Row("notices:preferences", NOT_ANON),
    Row(
        "reporting:report",
        only("director", "admin", others=404),
        kwargs=lambda w: {"pk": w["draft"].pk},
        label="a draft report",
    ),
    Row("reporting:report", NOT_ANON, kwargs=lambda w: {"pk": w["published"].pk}, label="a published report"),
    # The check page before publishing: for directors (and administrators) only.
    Row("reporting:publish", only("director", "admin"), kwargs=lambda w: {"pk": w["draft"].pk}),
    Row(
        "reporting:export",
        only("director", "admin"),
        kwargs=lambda w: {"pk": w["published"].pk, "identifier": "json"},
    ),
    # The admin's own pages.
    Row("admin:index", only("hr", "director", "admin", staff_only=True)),
    Row("admin:login", {**every(302), "anonymous": 200, "manager": 200, "reader": 200}),
    Row("admin:logout", {**every(405), "anonymous": 302, "manager": 302, "reader": 302}),  # a POST
    Row("admin:password_change", only("hr", "director", "admin", staff_only=True)),
    Row("admin:password_change_done", only("hr", "director", "admin", staff_only=True)),
    Row(
        "admin:auth_user_password_change",
        only("admin", staff_only=True),
        kwargs=lambda w: {"id": w["users"]["reader"].pk},
    ),
    Row("admin:autocomplete", only(staff_only=True)),  # needs its query parameters
    Row("admin:jsi18n", only("hr", "director", "admin", staff_only=True)),
    Row(
        "admin:view_on_site",
        only(staff_only=True, others=404),
        kwargs=lambda w: {"content_type_id": 0, "object_id": 0},
    ),
    # Custom admin pages.
    Row(
        "admin:workforce_worker_subject_access",
        only("hr", "admin", staff_only=True),
        kwargs=lambda w: {"object_id": w["worker_mine"].pk},
    ),
    Row(
        "admin:recruitment_campaign_upload",
        only("hr", "admin", staff_only=True),
        kwargs=lambda w: {"pk": w["campaign_mine"].pk},
    ),
    Row(
        "admin:recruitment_application_start",
        only("hr", "admin", staff_only=True),
        kwargs=lambda w: {"pk": w["accepted"].pk},
    ),
    # HR cannot see committee reports in the admin at all: they are not there (404).
    Row(
        "admin:reporting_committeereport_preview",
        only("director", "admin", staff_only=True, others=404),
        kwargs=lambda w: {"object_id": w["draft"].pk},
    ),
    Row(
        "admin:reporting_committeereport_publish",  # a GET shows the check page; publishing is a POST
        only("director", "admin", staff_only=True, others=404),
        kwargs=lambda w: {"object_id": w["draft"].pk},
    ),
    Row(
        "admin:reporting_committeereport_export",
        only("director", "admin", staff_only=True, others=404),
        kwargs=lambda w: {"object_id": w["published"].pk, "identifier": "json"},
    ),
    Row(
        "admin:reporting_committeereport_changes",
        only("director", "admin", staff_only=True, others=404),
        kwargs=lambda w: {"object_id": w["published"].pk},
    ),
    Row("admin:dataio_importrun_upload", only("hr", "admin", staff_only=True)),
    Row(
        "admin:dataio_importrun_confirm",
        only(staff_only=True, others=405),
        kwargs=lambda w: {"token": "no-such-token"},
    ),
]

# What each staff role may do with each app's records in the admin. Anyone not staff is
# sent to the admin's login; a visitor too.
FULL = {"changelist", "add", "change", "history", "delete"}
VIEW = {"changelist", "change", "history"}
ADMIN_RIGHTS: dict[str, dict[str, set[str]]] = {
    "hr": {"workforce": FULL, "recruitment": FULL, "leavers": FULL, "planning": FULL, "dataio": VIEW},
    "director": {
        "workforce": VIEW,
        "recruitment": VIEW,
        "leavers": VIEW,
        "planning": VIEW,
        "reporting": FULL,
    },
    "admin": {
        app: FULL
        for app in (
            "workforce",
            "recruitment",
            "leavers",
            "planning",
            "reporting",
            "dataio",
            "auth",
            "axes",
            "access",
        )
    },
}
ADMIN_RIGHTS["admin"]["django_tasks_database"] = VIEW  # the task queue's own records, to read
# Records that no one creates, edits or deletes by hand: logs kept by the product.
READ_ONLY_MODELS = {"dataio.importrun", "reporting.exportlog"}
# Sign-in records: an administrator may delete one (to unlock an account, or to unlink it
# from the single sign-on provider), never add one.
LOCKOUT_MODELS = {"axes.accessattempt", "axes.accessfailurelog", "axes.accesslog", "access.signonidentity"}
# A published report is frozen: it can be viewed but not changed or deleted.
FROZEN = {"reporting.committeereport"}
ADMIN_ACTIONS = ("changelist", "add", "change", "history", "delete", "simple_history")


def admin_expected(model_label: str, action: str) -> dict[str, int]:
    app = model_label.split(".")[0]
    statuses = {"anonymous": 302, "manager": 302, "reader": 302}
    for role in ("hr", "director", "admin"):
        allowed = set(ADMIN_RIGHTS[role].get(app, set()))
        if model_label in READ_ONLY_MODELS:
            allowed &= VIEW
        if model_label in LOCKOUT_MODELS:
            allowed -= {"add"}
        wanted = "history" if action == "simple_history" else action
        statuses[role] = 200 if wanted in allowed else 403
    return statuses


@pytest.fixture
def world(db) -> dict[str, Any]:
    """One of every record, in the manager's team and in another team."""
    mine, other = factories.team("Mine"), factories.team("Other")
    post_mine = factories.post(team=mine, reference="MINE-1")
    factories.post(team=other, reference="OTHER-1")
    worker_mine = factories.worker(first_name="Mina", last_name="Mine")
    factories.assign(post_mine, worker_=worker_mine)
    factories.absence(
        worker_mine, reason=AbsenceReason.SIC, start=dt.date(2024, 1, 8), end=dt.date(2024, 1, 9)
    )
    factories.caseload(worker_mine, on=dt.date(2024, 1, 31), cases=12)
    comparator("england", 2023, caseload="16.3")
    hr = factories.user("hr", "hr", staff=True)
    manager = factories.user("manager", "manager", teams=[mine])
    users = {
        "hr": hr,
        "manager": manager,
        "director": factories.user("director", "director", staff=True),
        "reader": factories.user("reader", "reader"),
        "admin": factories.user("admin", None, staff=True, is_superuser=True),
    }
    leaver_mine = leavers_f.leaver(team=mine, leaving_date=dt.date(2024, 3, 31))
    leaver_other = leavers_f.leaver(team=other, leaving_date=dt.date(2024, 3, 31))
    leavers_f.conversation(leaver_mine, user=manager)

    campaign_mine = recruitment_f.campaign(title="For my team")
    campaign_other = recruitment_f.campaign(title="For the other team")
    for campaign, team in ((campaign_mine, mine), (campaign_other, other)):
        application = recruitment_f.application(campaign)
        Application.objects.filter(pk=application.pk).update(team=team)
    accepted = recruitment_f.progress(recruitment_f.application(campaign_mine), to="accepted")

    draft = reporting_f.report()
    published = reporting_f.report(committee="Published committee")
    reporting_services.publish_report(report=published, user=users["director"])
    reporting_f.strategy_actions(complete=1, due=dt.date(2019, 3, 31))
    reporting_f.agency_budget(start=dt.date(2019, 4, 1), end=dt.date(2020, 3, 31), amount="250000")
    reporting_services.log_export(
        user=users["director"], format="json", as_at=published.as_at, scope="all", report=published, via="web"
    )
    ImportRun.objects.create(user=hr, channel="admin", outcome="applied")
    SignOnIdentity.objects.create(
        user=users["reader"],
        issuer="https://login.example/t/v2.0",
        subject="s1",
        last_signed_in=dt.datetime.now(dt.UTC),
    )
    planning_f.cohort(teams=[mine])
    scenario_shared = planning_f.scenario(owner=users["director"], name="Shared", shared=True)
    scenario_private = planning_f.scenario(owner=hr, name="Private")
    # The agency records: a supplier, a price cap, a permanent cost and an invoiced engagement.
    agency_f.cap("40.00")
    agency_f.permanent_cost("social-worker", salary="40000", on_costs="30")
    engaged = agency_f.engagement(
        factories.post(team=mine),
        start=dt.date(2024, 1, 1),
        supplier_=agency_f.supplier(),
        weekly_charge="1500",
    )
    agency_f.invoice_line(engaged, week_ending=dt.date(2024, 1, 7))
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        email_job_outcome.enqueue(str(uuid.uuid4()))  # a task waiting in the database's queue
    # One failed and one successful sign-in, so the lock-out records exist.
    Client().post(reverse("login"), {"username": "reader", "password": "wrong"})
    Client().post(reverse("login"), {"username": "hr", "password": "a-long-test-password-1"})
    AccessFailureLog.objects.create(
        username="reader", ip_address="127.0.0.1", user_agent="test", path_info="/"
    )
    return {
        "users": users,
        "worker_mine": worker_mine,
        "leaver_mine": leaver_mine,
        "leaver_other": leaver_other,
        "campaign_mine": campaign_mine,
        "campaign_other": campaign_other,
        "accepted": accepted,
        "draft": draft,
        "published": published,
        "scenario_shared": scenario_shared,
        "scenario_private": scenario_private,
    }


def routed_names() -> set[str]:
    """Return every named URL the project routes (namespaced), and the unnamed admin ones."""
    names: set[str] = set()

    def walk(patterns: list, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def model_admin_names() -> dict[str, tuple[str, str]]:
    """Return {url name: (model label, action)} for every registered model admin."""
    found = {}
    for model in admin.site._registry:
        meta = model._meta
        for action in ADMIN_ACTIONS:
            if action == "simple_history" and not hasattr(meta, "simple_history_manager_attribute"):
                continue  # Django's and the libraries' own models keep no change history
            found[f"admin:{meta.app_label}_{meta.model_name}_{action}"] = (meta.label_lower, action)
    return found


def test_every_url_has_a_row_in_the_table():
    covered = {row.name for row in PAGES} | set(model_admin_names()) | {"admin:app_list"}
    missing = sorted(routed_names() - covered)
    assert not missing, f"URLs with no row in the access table: {missing}"
    unknown_apps = {model._meta.app_label for model in admin.site._registry} - set(ADMIN_RIGHTS["admin"])
    assert not unknown_apps, f"admin apps with no rights in the table: {unknown_apps}"


def visit(client: Client, url: str) -> int:
    return client.get(url).status_code


def clients(world: dict[str, Any]) -> dict[str, Client]:
    made = {"anonymous": Client()}
    for role, user in world["users"].items():
        made[role] = Client()
        made[role].force_login(user)
    return made


def test_product_pages_and_downloads(world):
    by_role = clients(world)
    wrong = []
    for row in PAGES:
        url = reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None)
        if row.query:
            url += "?" + "&".join(f"{k}={v}" for k, v in row.query(world).items())
        for role in ROLES:
            status = visit(by_role[role], url)
            if status != row.expected[role]:
                wrong.append(
                    f"{role} {url} ({row.label or row.name}): {status}, expected {row.expected[role]}"
                )
    assert not wrong, "\n".join(wrong)


def test_admin_changelists_and_change_forms(world):
    by_role = clients(world)
    objects = {
        model._meta.label_lower: model._default_manager.order_by("pk").first()
        for model in admin.site._registry
    }
    published = world["published"]
    wrong = []
    for name, (label, action) in sorted(model_admin_names().items()):
        obj = objects[label]
        if action in {"change", "history", "delete"}:
            if obj is None:
                wrong.append(f"no {label} in the world fixture to open {name}")
                continue
            if label in FROZEN:
                obj = world["draft"]
            url = reverse(name, args=[obj.pk])
        elif action == "simple_history":
            obj = world["draft"] if label in FROZEN else obj
            if obj is None:
                wrong.append(f"no {label} in the world fixture to open {name}")
                continue
            if not obj.history.exists():
                obj.save()  # rows seeded by a migration have no history until first saved
            url = reverse(name, args=[obj.pk, obj.history.order_by("history_id").first().history_id])
        else:
            url = reverse(name)
        expected = admin_expected(label, action)
        for role in ROLES:
            status = visit(by_role[role], url)
            if status != expected[role]:
                wrong.append(f"{role} {url}: {status}, expected {expected[role]}")
    # A published report is frozen: authors can open it, nobody can change or delete it.
    for action, director_status in (("change", 200), ("delete", 403)):
        url = reverse(f"admin:reporting_committeereport_{action}", args=[published.pk])
        for role, status in (("director", director_status), ("admin", director_status)):
            if visit(by_role[role], url) != status:
                wrong.append(f"{role} {url} (published): expected {status}")
    assert not wrong, "\n".join(wrong)


def test_admin_app_pages(world):
    by_role = clients(world)
    wrong = []
    for app in ADMIN_RIGHTS["admin"]:
        url = reverse("admin:app_list", kwargs={"app_label": app})
        for role in ROLES:
            if role in {"anonymous", "manager", "reader"}:
                expected = 302
            else:
                expected = 200 if ADMIN_RIGHTS[role].get(app) else 404
            status = visit(by_role[role], url)
            if status != expected:
                wrong.append(f"{role} {url}: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)
