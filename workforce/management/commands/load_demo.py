"""Load the demonstration county: ``python manage.py load_demo``."""

from __future__ import annotations

import importlib
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from workforce.demo import ensure_demo_users

# Each stage is a module with ``build(*, today, stdout) -> bool`` that adds its part of
# the demonstration and returns False when that part is already there. Later apps add
# their stage here, in the order their records depend on each other.
STAGES = [
    "workforce.demo_stage",
    "leavers.demo_stage",
    "recruitment.demo_stage",
    "workforce.demo_agency",
    "workforce.demo_caseloads",  # after every stage that starts or ends an assignment
    "planning.demo_stage",
    "reporting.demo_stage",
]


class Command(BaseCommand):
    help = "Build the demonstration county (deterministic; safe to run twice)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (never in production)."
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demonstration data with DEBUG off: this may be a live system. "
                "Use --force if you are sure."
            )
        today = timezone.localdate()
        for name in STAGES:
            started = time.monotonic()
            stage = importlib.import_module(name)
            with transaction.atomic():
                built = stage.build(today=today, stdout=self.stdout)
            verdict = "built" if built else "already there, left as it is"
            self.stdout.write(f"{stage.TITLE}: {verdict} ({time.monotonic() - started:.1f}s)")
        with transaction.atomic():
            logins = ensure_demo_users()
        self.stdout.write(self.style.SUCCESS("Demonstration data ready. Sign in as:"))
        for username, password, kind in logins:
            self.stdout.write(f"  {username:<9} password {password}   ({kind})")
