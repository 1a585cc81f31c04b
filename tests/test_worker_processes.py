"""The task worker as its own process, as ``make run`` and a server run it: against a
throwaway database (SQLite, or Redis for the queue when REDIS_URL is set) that the test
and the processes it starts share.

- ``scripts/run.sh`` (``make run``) starts the web server and the worker; an export started
  on its page is finished by the worker; Ctrl-C stops both, and every process they started.
- A worker killed half way through a job: the next worker to start marks the job as
  interrupted, and its owner is emailed, so it is never shown as running for ever.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.processes import ROOT

PASSWORD = "a-long-test-password-1"  # tests.factories.user's

pytestmark = pytest.mark.queue


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _until(condition: Any, *, limit: float, what: str) -> Any:
    """Wait for ``condition()`` to be true (not a timing assertion: a limit on waiting)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"gave up waiting: {what}")


def _processes_using(database_url: str) -> list[int]:
    """Return the processes whose environment points at ``database_url`` (this test's own)."""
    found = []
    needle = f"DATABASE_URL={database_url}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


class Browser:
    """Just enough of a browser: cookies, and Django's CSRF token from the last page."""

    def __init__(self, base: str) -> None:
        self.base = base
        cookies = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(cookies)
        self.token = ""

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            page = response.read().decode()
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        self.token = found.group(1) if found else self.token
        return page

    def post(self, path: str, data: dict[str, str]) -> str:
        """Post ``data`` and return the address it redirected to."""
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.token, **data}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=60) as response:
            return response.geturl().removeprefix(self.base)

    def download(self, path: str) -> bytes:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to find the processes left")
def test_make_run_serves_with_the_worker_an_export_finishes_and_ctrl_c_stops_both(throwaway):
    report_id = throwaway.python(
        "from tests import factories; from tests import factories_reporting as fr\n"
        "from reporting import services\n"
        "factories.user('dir', 'director')\n"
        "report = fr.report(); services.publish_report(report=report, user=None); print(report.pk)"
    ).strip()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    script = subprocess.Popen(
        ["bash", "scripts/run.sh", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**throwaway.env, "PYTHON": sys.executable},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _until(lambda: _answers(f"{base}/accounts/login/"), limit=120, what="the web server")
        browser = Browser(base)
        browser.get("/accounts/login/")
        assert browser.post("/accounts/login/", {"username": "dir", "password": PASSWORD}) == "/"
        browser.get(f"/reports/{report_id}/")
        job_page = browser.post(f"/reports/{report_id}/prepare/json/", {})
        assert job_page.startswith("/jobs/")
        _until(lambda: "Your file is ready" in browser.get(job_page), limit=120, what="the worker's export")
        exported = json.loads(browser.download(f"{job_page}download/"))
        assert (exported["as_at"], exported["status"]) == ("2019-06-30", "published")
    finally:
        script.send_signal(signal.SIGINT)  # Ctrl-C
        output, _ = script.communicate(timeout=120)
    assert "Stopping the web server and the task worker" in output
    # The web server, the worker, and the processes their code reloaders started: all gone.
    database = throwaway.env["DATABASE_URL"]
    _until(lambda: not _processes_using(database), limit=60, what="every process to stop")
    assert not _answers(f"{base}/accounts/login/")


def test_a_worker_killed_mid_way_leaves_no_job_running_for_ever_and_its_owner_is_told(throwaway):
    job_id = throwaway.python(
        "from tests import factories\n"
        "from jobs.work import start_job\n"
        "from tests.worker_tasks import killed_mid_way\n"
        "owner = factories.user('hr1', 'hr', email='hr1@example.org')\n"
        "job = start_job(owner=owner, kind='export', title='PDF of the paper', task=killed_mid_way)\n"
        "print(job.pk)"
    ).strip()
    throwaway.manage("run_worker", "--batch", check=False)  # killed half way (kill -9)
    state = throwaway.python(
        f"from jobs.models import Job; j = Job.objects.get(pk='{job_id}')\n"
        "print(j.status, j.progress, j.worker)"
    ).split()
    assert state[:2] == ["running", "50"]
    pid = int(state[2].rpartition(":")[2])
    assert not Path(f"/proc/{pid}").exists()

    restarted = throwaway.manage("run_worker", "--batch")  # the next worker to start sweeps first
    assert "1 job left unfinished by a stopped worker marked as interrupted" in restarted.stdout
    state = throwaway.python(
        f"from jobs.models import Job; j = Job.objects.get(pk='{job_id}'); print(j.status); print(j.error)"
    )
    assert state.startswith("failed\nThe export was interrupted")
    # Emailed by the worker (the console backend on a laptop): once, to the owner, with the link.
    emails = restarted.stdout + restarted.stderr
    assert emails.count("Subject: Social work workforce: Your export did not finish") == 1
    assert "To: hr1@example.org" in emails and f"/jobs/{job_id}/" in emails
    again = throwaway.manage("run_worker", "--batch")
    assert "marked as interrupted" not in again.stdout
