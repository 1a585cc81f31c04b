"""Import the HR extract: ``python manage.py import_workforce PATH... [--dry-run]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dataio.importing.engine import Source, run_import
from dataio.importing.report import ImportReport
from dataio.services import record_import_run


class Command(BaseCommand):
    help = (
        "Import teams, posts, workers, assignments, absences (and leavers and applications) from CSV or "
        "XLSX files, all or nothing, in dependency order. See docs/import.md."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("paths", nargs="+", help="The files to import together.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the files and show what would change; save nothing."
        )

    def handle(self, *args: Any, paths: list[str], dry_run: bool = False, **options: Any) -> None:
        sources = []
        for path in map(Path, paths):
            try:
                sources.append(Source(name=path.name, content=path.read_bytes()))
            except OSError as error:
                raise CommandError(f"{path}: cannot be read ({error.strerror}).") from None
        report = run_import(sources, dry_run=dry_run)
        record_import_run(report=report, user=None, channel="command line")
        self._write(report, verbosity=options.get("verbosity", 1))
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _write(self, report: ImportReport, *, verbosity: int) -> None:
        for file in report.files:
            counts = ", ".join(f"{count} {action}" for action, count in file.counts.items())
            would = "" if report.applied else "would be "
            self.stdout.write(f"{file.name} ({file.kind or 'not recognised'}): {would}{counts}")
            for note in file.notes:
                self.stdout.write(f"  note: {note}")
            if file.text_seen and (not report.applied or verbosity >= 2):
                self.stdout.write("  text beyond plain ASCII, as read (check it before importing):")
                for seen in file.text_seen:
                    times = f", {seen.count} times" if seen.count > 1 else ""
                    self.stdout.write(f"    {seen.value}  (row {seen.row}, {seen.column}{times})")
                if file.text_seen_more:
                    self.stdout.write(f"    and {file.text_seen_more:,} more values")
            if verbosity >= 2:
                for outcome in file.changed:
                    detail = f": {'; '.join(outcome.changes)}" if outcome.changes else ""
                    self.stdout.write(f"  row {outcome.row} {outcome.reference} {outcome.action}{detail}")
        for problem in report.problems:
            self.stderr.write(f"  {problem}")
        if report.unlisted:
            self.stderr.write(f"  {report.more_problems()}")
        if not report.rows_checked:
            self.stderr.write(
                "  The rows are checked once every file can be read and its headings are right."
            )
