"""The simulated users of the load test (benchmarks/load/run.sh starts locust with this).

Each user signs in with the login form as one of the accounts ``prepare.py`` made and then
works as that kind of user does, with a few seconds' thought between pages:

- HR officers: the dashboard, the establishment with filters, the leavers page;
- team managers: the same pages, which show only their own team;
- directors: the dashboard, the committee report's preview (the paper built from today's
  records), and exports of it through the task queue (start, watch the job's page until
  it says the file is ready, download it);
- one HR importer: uploads the HR extract (checked in the background), watches the job,
  confirms the import (run in the background), watches that too, then pauses.

Requests are named by page group (the report's table and ``check.py`` read the names).
The server is reached as the council's reverse proxy reaches it: plain HTTP on 127.0.0.1
with ``X-Forwarded-Proto: https``, so the production settings (HTTPS only, secure cookies)
apply unchanged; the client keeps sending the secure cookies, as a browser does over HTTPS.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task
from locust.exception import StopUser
from requests.cookies import RequestsCookieJar

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
PASSWORD = os.environ["LOAD_PASSWORD"]
FORMATS = ("pdf", "docx", "xlsx")
JOB_WAIT_SECONDS = float(os.environ.get("LOAD_JOB_WAIT_SECONDS", "240"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TITLE = re.compile(r"<title>\s*([^<]*)</title>", re.S)
CONFIRM = re.compile(r'action="(/admin/dataio/importrun/confirm/[^"]+/)"')
_taken: dict[str, int] = {}


# Every request's time, for check.py's percentiles over parts of the run (locust's own table
# covers the whole run, rounded): seconds since the epoch, group, milliseconds, failed.
_LOG = open(os.environ["LOAD_REQUESTS"], "a", buffering=1) if os.environ.get("LOAD_REQUESTS") else None  # noqa: SIM115


@events.request.add_listener
def _log_request(request_type: str, name: str, response_time: float, exception: Any, **kwargs: Any) -> None:
    if _LOG is not None and request_type != "JOB":
        _LOG.write(f"{time.time():.3f},{name},{response_time:.1f},{int(exception is not None)}\n")


class ProxiedCookies(RequestsCookieJar):
    """Keep sending secure cookies over the plain hop from the proxy, as the browser sends
    them over HTTPS (requests would otherwise keep them back from an http:// address)."""

    def set_cookie(self, cookie: http.cookiejar.Cookie, *args: Any, **kwargs: Any) -> None:
        cookie.secure = False
        super().set_cookie(cookie, *args, **kwargs)


def _account(role: str) -> str:
    """Return the next unused account of ``role`` (round the list again if users outnumber it)."""
    names = PLAN["users"][role]
    index = _taken.get(role, 0)
    _taken[role] = index + 1
    return names[index % len(names)]


def _title(text: str) -> str:
    found = TITLE.search(text)
    return found.group(1).strip() if found else ""


class Signed(HttpUser):
    """A user of the product, signed in as one account of ``role``."""

    abstract = True
    role = "hr"
    wait_time = between(2, 6)

    def on_start(self) -> None:
        origin = self.host.replace("http://", "https://")
        self.client.cookies = ProxiedCookies()
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "X-Forwarded-For": f"10.0.0.{random.randint(2, 250)}"}
        )
        self.origin = origin
        self.username = _account(self.role)
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{origin}/accounts/login/", "Origin": origin},
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{self.username} could not sign in ({response.status_code})")
                raise StopUser()

    def post(self, path: str, data: dict[str, Any], *, name: str, referer: str, **kwargs: Any) -> Any:
        """POST as the browser does from ``referer``: with its CSRF token, Origin and Referer."""
        token = self.client.cookies.get("csrftoken", "")
        return self.client.post(
            path,
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Referer": f"{self.origin}{referer}", "Origin": self.origin},
            name=name,
            allow_redirects=False,
            **kwargs,
        )

    def page(self, path: str, name: str, **kwargs: Any) -> Any:
        with self.client.get(path, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} from {path}")
            return response

    def watch(self, job_path: str, *, kind: str) -> str:
        """Watch a job's page, as its owner does (it refreshes itself every 2 seconds), until
        it says the work is done or did not finish; return its last page's text."""
        deadline = time.monotonic() + JOB_WAIT_SECONDS
        text = ""
        while time.monotonic() < deadline:
            text = self.page(job_path, "job page").text
            title = _title(text)
            if title.startswith("Ready"):
                events.request.fire(
                    request_type="JOB",
                    name=f"{kind} finished",
                    response_time=0,
                    response_length=0,
                    exception=None,
                    context={},
                )
                return text
            if title.startswith("Not finished"):
                # Interrupted by the restart drill, say: the page says so, and the owner is
                # emailed. Recorded (check.py counts them from the database), not a failure.
                events.request.fire(
                    request_type="JOB",
                    name=f"{kind} did not finish (owner told)",
                    response_time=0,
                    response_length=0,
                    exception=None,
                    context={},
                )
                return text
            time.sleep(2)
        events.request.fire(
            request_type="JOB",
            name=f"{kind} still unfinished after {JOB_WAIT_SECONDS:.0f} s",
            response_time=0,
            response_length=0,
            exception=RuntimeError("job did not end in time"),
            context={},
        )
        return text

    # --- the pages every kind of user opens --------------------------------------------------

    def dashboard(self) -> None:
        self.page("/", "dashboard")

    def establishment(self) -> None:
        params: dict[str, Any] = {}
        if random.random() < 0.6 and PLAN["service_areas"]:
            params["service_area"] = random.choice(PLAN["service_areas"])
        if random.random() < 0.5 and PLAN["roles"]:
            params["role"] = random.choice(PLAN["roles"])
        if random.random() < 0.3:
            params["vacant_only"] = "on"
        elif random.random() < 0.2:
            params["agency_only"] = "on"
        if random.random() < 0.2:
            params["as_of"] = (dt.date.today() - dt.timedelta(days=random.randint(30, 900))).strftime(
                "%d/%m/%Y"
            )
        if random.random() < 0.2:
            params["page"] = random.randint(2, 5)
        self.page("/establishment/", "establishment (filtered)", params=params)

    def leavers(self) -> None:
        params: dict[str, Any] = {}
        if random.random() < 0.4 and PLAN["service_areas"]:
            params["service_area"] = random.choice(PLAN["service_areas"])
        self.page("/leavers/", "leavers", params=params)


class HrOfficer(Signed):
    role = "hr"
    weight = 18

    @task(3)
    def open_dashboard(self) -> None:
        self.dashboard()

    @task(5)
    def filter_establishment(self) -> None:
        self.establishment()

    @task(3)
    def open_leavers(self) -> None:
        self.leavers()


class TeamManager(Signed):
    role = "manager"
    weight = 20

    @task(4)
    def open_dashboard(self) -> None:
        self.dashboard()

    @task(4)
    def filter_establishment(self) -> None:
        self.page(
            "/establishment/", "establishment (filtered)", params=random.choice([{}, {"vacant_only": "on"}])
        )

    @task(3)
    def open_leavers(self) -> None:
        self.leavers()


class Director(Signed):
    role = "director"
    weight = 10

    @task(3)
    def open_dashboard(self) -> None:
        self.dashboard()

    @task(3)
    def preview_report(self) -> None:
        self.page(f"/reports/{PLAN['report_id']}/", "report preview")

    @task(2)
    def export_report(self) -> None:
        report = PLAN["report_id"]
        identifier = random.choice(FORMATS)
        with self.post(
            f"/reports/{report}/prepare/{identifier}/",
            {},
            name="export: start",
            referer=f"/reports/{report}/",
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or "/jobs/" not in location:
                response.failure(f"export not started ({response.status_code})")
                return
        job = location.replace(self.origin, "").replace(self.host, "")
        text = self.watch(job, kind="export")
        if _title(text).startswith("Ready"):
            self.page(f"{job}download/", f"export: download {identifier}")


class Importer(Signed):
    """One HR officer importing the HR extract: checked, then confirmed, both in the background."""

    role = "hr"
    fixed_count = 1
    wait_time = between(20, 40)

    @task
    def import_extract(self) -> None:
        files = [
            ("files", (Path(path).name, Path(path).read_bytes(), "text/csv")) for path in PLAN["extract"]
        ]
        upload = "/admin/dataio/importrun/upload/"
        self.page(upload, "import: upload form")
        with self.post(
            upload, {}, name="import: upload", referer=upload, files=files, catch_response=True
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or "/jobs/" not in location:
                response.failure(f"import check not started ({response.status_code})")
                return
        job = location.replace(self.origin, "").replace(self.host, "")
        text = self.watch(job, kind="import check")
        confirm = CONFIRM.search(text)
        if not confirm:
            return  # the check did not finish, or found problems (the page says which)
        with self.post(
            confirm.group(1), {}, name="import: confirm", referer=job, catch_response=True
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or "/jobs/" not in location:
                response.failure(f"import not started ({response.status_code})")
                return
        self.watch(location.replace(self.origin, "").replace(self.host, ""), kind="import")
