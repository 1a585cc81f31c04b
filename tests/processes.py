"""A throwaway database that the test and the processes it starts share (tests of the task
worker as a process, and of the cache shared between processes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


class Throwaway:
    """A migrated throwaway database and the environment that points processes at it."""

    def __init__(self, folder: Path) -> None:
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DEBUG": "false",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("EMAIL_URL", None)
        self.env.pop("EMAIL_HOST", None)
        self.manage("migrate", "--noinput", "-v0")
        if self.env.get("REDIS_URL"):
            self.python("import django_rq; django_rq.get_connection('default').flushdb()")

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=check,
        )

    def python(self, code: str) -> str:
        """Run ``code`` with Django set up against the throwaway database; return what it printed."""
        return self.manage("shell", "--no-imports", "-c", code).stdout


@pytest.fixture(scope="module")
def throwaway(tmp_path_factory: pytest.TempPathFactory) -> Throwaway:
    """Return a migrated throwaway SQLite database for this module's processes (and Redis's
    queue and cache emptied, when REDIS_URL is set)."""
    return Throwaway(tmp_path_factory.mktemp("processes"))
