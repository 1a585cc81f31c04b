"""The production run (``make serve``): migrate, collectstatic, then gunicorn with
config/gunicorn.conf.py and the task worker from scripts/serve.sh, behind a proxy."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.sso_provider import free_port

ROOT = Path(__file__).resolve().parent.parent
# The run itself does not depend on the database; once is enough (the suite runs twice in CI).
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the production run is tested once, in the SQLite run of the suite",
)
SECRET = "x7#Jq9!vLp2@Rz8$Tw4%Nb6^Mc1&Hd5*Gf3(Ks0)Ye-Ua_Ib+Oc=Pd;Qe:Rf"


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "PY": sys.executable,
        "NO_PROXY": "127.0.0.1",
    }
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *step], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
    return env


def _wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120  # a readiness poll, not a measurement
    while time.monotonic() < deadline and process.poll() is None:
        try:
            requests.get(url, timeout=60, allow_redirects=False)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start: " + log.read_text())


def test_the_production_run_serves_pages_behind_the_proxy_and_stops_cleanly(production_env, tmp_path):
    base = "http://" + production_env["GUNICORN_BIND"]
    log = tmp_path / "serve.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            ["bash", "scripts/serve.sh"],
            cwd=ROOT,
            env=production_env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(base + "/accounts/login/", process, log)
        web = requests.Session()
        web.trust_env = False
        # Straight to gunicorn, not through the proxy's HTTPS: sent to HTTPS.
        plain = web.get(base + "/accounts/login/", allow_redirects=False)
        assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
        # Through the proxy (on 127.0.0.1, a forwarded-allow-ips address), which ended HTTPS.
        proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
        page = web.get(base + "/accounts/login/?next=/leavers/%3Fteam%3DSecret", headers=proxied)
        assert page.status_code == 200 and "Sign in" in page.text
        assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        stylesheet = next(part for part in page.text.split('"') if part.startswith("/static/build/app."))
        assert stylesheet != "/static/build/app.css", "collected with hashed names"
        assert web.get(base + stylesheet, headers=proxied).status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    assert process.returncode == 0, log.read_text()
    written = log.read_text()
    assert "Booting worker" in written
    assert "Made ready before forking the workers: {'urls':" in written  # preloaded, then forked
    assert "dashboards queued to be built" in written  # the first visitors' figures, queued
    lines = [line for line in written.splitlines() if '"GET /accounts/login/' in line]
    assert any(line.startswith("203.0.113.9 127.0.0.1 ") and " 200 " in line for line in lines), written
    assert "Secret" not in written, "query strings stay out of the access log"
    with pytest.raises(requests.ConnectionError):  # gunicorn stopped with the run
        requests.get(base + "/accounts/login/", timeout=10)
