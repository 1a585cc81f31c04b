"""Run one piece of scheduled work by hand or from cron: ``python manage.py run_scheduled NAME``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jobs.schedule import autodiscover, run


class Command(BaseCommand):
    help = (
        "Run one piece of scheduled work (cron runs each on its own schedule; see docs/deploy.md). "
        "Run it with --list to see them all with their suggested cron lines."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", nargs="?", help="The scheduled work to run.")
        parser.add_argument(
            "--list", action="store_true", dest="list_only", help="List the scheduled work and stop."
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even when it is not due (a pre-check out of season)."
        )
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, default=None, help="Run as on this date (YYYY-MM-DD)."
        )

    def handle(
        self,
        *args: Any,
        name: str | None = None,
        list_only: bool = False,
        force: bool = False,
        today: dt.date | None = None,
        **options: Any,
    ) -> None:
        schedule = autodiscover()
        if list_only or not name:
            for item in schedule.values():
                self.stdout.write(f"{item.name:<18} {item.when:<14} {item.help}")
            if not list_only:
                raise CommandError("Name the scheduled work to run (one of those listed above).")
            return
        if name not in schedule:
            raise CommandError(f"No scheduled work is called '{name}': it is one of {', '.join(schedule)}.")
        self.stdout.write(run(name, today=today or timezone.localdate(), force=force))
