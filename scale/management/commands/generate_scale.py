"""Fill an empty database with a synthetic workforce for measuring the product at scale:

python manage.py generate_scale --posts 40000 --years 5 [--seed 20260922] [--today 2026-09-22]

See docs/performance.md. It refuses a database that already holds a workforce.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from scale.generate import DEFAULT_SEED, NotEmpty, generate


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database with a consistent synthetic workforce: teams of about twelve posts, "
        "YEARS of people joining and leaving, agency cover, absences, leavers with exit conversations, "
        "campaigns with about ten applications per start. Bulk inserts, one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--posts", type=int, required=True, help="How many posts (about 6%% temporary).")
        parser.add_argument("--years", type=int, default=5, help="Years of history to today (default 5).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="The random seed (deterministic).")
        parser.add_argument(
            "--today", help="The last day of the history, YYYY-MM-DD (default: today); for repeatable runs."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"--today: '{options['today']}' is not a date in the form YYYY-MM-DD."
                ) from None
        if options["posts"] < 1 or options["years"] < 1:
            raise CommandError("--posts and --years must be at least 1.")
        try:
            result = generate(
                posts=options["posts"],
                years=options["years"],
                seed=options["seed"],
                today=today,
                out=self.stdout.write,
            )
        except (NotEmpty, LookupError) as error:
            raise CommandError(str(error)) from None
        for label, count in result.rows.items():
            self.stdout.write(f"  {label:<42} {count:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result.posts:,} posts in {result.teams:,} teams with {options['years']} years "
                f"of history: {result.total_rows:,} rows in {result.seconds:.1f} s."
            )
        )
