"""Scheduled work: what cron runs (docs/deploy.md, "Scheduled work"), each piece by name.

Each app lists its own scheduled work in a ``schedule`` module with the ``scheduled``
decorator, as it lists its admin in ``admin``; ``manage.py run_scheduled NAME`` finds them
all (``autodiscover``) and runs one, so cron and a person at a terminal run the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules

# A piece of scheduled work: given today's date, it does its work and returns what it did,
# in a sentence or a few lines for the cron log. ``force`` asks it to run even when it is
# not due (a pre-check outside its return's window, say).
Run = Callable[..., str]


@dataclass(frozen=True)
class Scheduled:
    name: str
    help: str
    when: str  # the cron schedule suggested for it, e.g. "0 7 * * 1" (Mondays at 7)
    run: Run


SCHEDULE: dict[str, Scheduled] = {}


def scheduled(name: str, *, help: str, when: str) -> Callable[[Run], Run]:
    """Register the decorated function as the scheduled work ``name``."""

    def register(run: Run) -> Run:
        SCHEDULE[name] = Scheduled(name=name, help=help, when=when, run=run)
        return run

    return register


def autodiscover() -> dict[str, Scheduled]:
    """Import every app's ``schedule`` module and return the scheduled work, by name."""
    autodiscover_modules("schedule")
    return dict(sorted(SCHEDULE.items()))


def run(name: str, *, today: dt.date, force: bool = False) -> str:
    """Run the scheduled work ``name`` as on ``today``; return what it did."""
    return autodiscover()[name].run(today=today, force=force)


@scheduled(
    "interrupted-jobs",
    help="Start again exports whose worker stopped (once); mark other such jobs as interrupted and email "
    "their owners; delete results kept a day.",
    when="*/5 * * * *",
)
def interrupted_jobs(*, today: dt.date, force: bool = False) -> str:
    from jobs.work import sweep

    marked = sweep()
    jobs = f"{len(marked)} interrupted job{'s' if len(marked) != 1 else ''}"
    return f"{jobs} marked; their owners will be emailed."


@scheduled(
    "old-tasks",
    help="Delete the task queue's records of tasks finished over 14 days ago (failed: 30 days).",
    when="45 2 * * *",
)
def old_tasks(*, today: dt.date, force: bool = False) -> str:
    from django.core.management import call_command

    from jobs.queue import uses

    if not uses("django_tasks_db."):
        return "The task queue keeps no records in the database (Redis expires its own): nothing to do."
    call_command(
        "prune_db_task_results", queue_name="*", min_age_days=14, failed_min_age_days=30, verbosity=0
    )
    return "Deleted the records of tasks finished over 14 days ago (failed ones: 30)."
