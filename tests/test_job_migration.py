"""The job moved from the ``pages`` app to ``jobs`` by migrations that keep every row: a
database with jobs (and their history) from before the move still has them after it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from tests.processes import ROOT


def test_jobs_and_their_history_survive_the_move_to_the_jobs_app(tmp_path):
    path = tmp_path / "before.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"

    def manage(*args: str) -> str:
        command = [sys.executable, "manage.py", *args]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    manage("migrate", "pages", "0001", "--noinput", "-v0")  # as the database stood before the move
    with sqlite3.connect(path) as database:
        database.execute(
            "INSERT INTO auth_user (username, password, is_superuser, first_name, last_name, email, "
            "is_staff, is_active, date_joined, last_login) VALUES "
            "('dir', '', 0, '', '', '', 0, 1, '2026-11-01', '2026-11-01')"
        )
        database.execute(
            "INSERT INTO pages_job (id, owner_id, kind, title, status, progress, step, error, details, "
            "result_path, result_name, result_type, back_url, created_at, updated_at) VALUES "
            "('0f5c33b1a5ad4a7e9a3c7e1d2b4f6a80', 1, 'export', 'PDF of the paper', 'done', 100, 'Done', '', "
            "'{}', '/tmp/x', 'paper.pdf', 'application/pdf', '/reports/1/', '2026-11-01 09:00', "
            "'2026-11-01 09:01')"
        )
        database.execute(
            "INSERT INTO pages_historicaljob (id, kind, title, status, progress, step, error, details, "
            "result_path, result_name, result_type, back_url, created_at, updated_at, history_date, "
            "history_type, owner_id) VALUES ('0f5c33b1a5ad4a7e9a3c7e1d2b4f6a80', 'export', "
            "'PDF of the paper', 'queued', 0, '', '', '{}', '', '', '', '', '2026-11-01 09:00', "
            "'2026-11-01 09:00', '2026-11-01 09:00', '+', 1)"
        )
    manage("migrate", "--noinput", "-v0")
    found = manage(
        "shell",
        "--no-imports",
        "-c",
        "from jobs.models import Job\n"
        "job = Job.objects.get()\n"
        "print(job.title, job.status, job.result_name, job.owner.username, job.history.count(), sep='|')\n"
        "from django.contrib.contenttypes.models import ContentType\n"
        "print(ContentType.objects.get_for_model(Job).app_label)",
    )
    assert found.splitlines() == ["PDF of the paper|done|paper.pdf|dir|1", "jobs"]
