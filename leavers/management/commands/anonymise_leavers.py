"""Anonymise old leavers: ``python manage.py anonymise_leavers [--older-than YEARS] [--dry-run]``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from foundation.dates import long_date
from foundation.periods import add_months
from leavers.anonymise import anonymise_leavers


class Command(BaseCommand):
    help = (
        "Replace the personal details of employees who left more than YEARS ago (names, staff "
        "reference, SWE number, census details, exit conversation notes and quotes) with anonymous "
        "values, in the records and their history. Figures are unchanged. Safe to run again."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            dest="years",
            default=None,
            metavar="YEARS",
            help="Anonymise leavers who left more than this many years ago "
            "(default: the LEAVER_RETENTION_YEARS setting).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done; change nothing.")

    def handle(self, *args: Any, years: int | None = None, dry_run: bool = False, **options: Any) -> None:
        if years is None:
            years = settings.WORKFORCE["LEAVER_RETENTION_YEARS"]
        if years < 1:
            raise CommandError("--older-than must be at least 1 year.")
        today = timezone.localdate()
        cutoff = add_months(today, -12 * years)
        result = anonymise_leavers(cutoff=cutoff, today=today, dry_run=dry_run)
        if not result.leavers:
            self.stdout.write(f"No leavers who left before {long_date(cutoff)} are left to anonymise.")
            return
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(
            f"{verb} {result.leavers} leaver{'s' if result.leavers != 1 else ''} who left before "
            f"{long_date(cutoff)} ({result.workers} worker{'s' if result.workers != 1 else ''}, "
            f"{result.conversations} exit conversation{'s' if result.conversations != 1 else ''}), "
            "in the records and their history."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
