"""Produce the committee paper from the command line, e.g. for a scheduled quarterly job:

python manage.py committee_report --as-at 2019-06-30 --format pdf --output paper.pdf
python manage.py committee_report --as-at 2019-06-30 --format json     # to standard output

JSON and HTML go to standard output when no ``--output`` is given; the PDF, DOCX, XLSX and
the zip of CSVs, which are not text, need ``--output``.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from foundation.dates import long_date
from foundation.periods import default_comparison_dates
from foundation.windows import (
    SECTION_KEYS,
    Window,
    WindowError,
    check_window,
    default_window,
    parse_section_window,
)
from reporting import services
from reporting.exporters import EXPORTERS
from reporting.models import CommitteeReport, parse_comparison_dates
from reporting.selectors import report_summary
from reporting.summary import build_committee_summary
from workforce.scopes import Scope, ScopeError

TEXT_FORMATS = ("json", "html")  # written to standard output when no --output is given


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: '{text}' is not a date in the form YYYY-MM-DD.") from None


def _check_writable(path: str) -> None:
    folder = os.path.dirname(os.path.abspath(path)) or "."
    if os.path.isdir(path):
        raise CommandError(f"--output: {path} is a folder, not a file.")
    if not os.path.isdir(folder):
        raise CommandError(f"--output: cannot write {path}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise CommandError(f"--output: cannot write {path}: permission denied.")


def _window_options(options: dict[str, Any]) -> bool:
    return bool(options["window_start"] or options["window_end"] or options["window"])


def _windows(options: dict[str, Any], as_at: dt.date) -> tuple[Window, dict[str, Window]]:
    """Return the default window and each section's own, checked against ``as_at``."""
    default = default_window(as_at)
    if options["window_start"] or options["window_end"]:
        start = _date(options["window_start"], "--window-start") if options["window_start"] else default.start
        end = _date(options["window_end"], "--window-end") if options["window_end"] else default.end
        default = Window(start, end)
        try:
            check_window(default, as_at)
        except WindowError as error:
            raise CommandError(f"--window-start/--window-end: {error}") from None
    overrides = {}
    for text in options["window"]:
        try:
            key, window = parse_section_window(text)
            check_window(window, as_at, what=f"The {key} window")
        except WindowError as error:
            raise CommandError(f"--window: {error}") from None
        overrides[key] = window
    return default, overrides


class Command(BaseCommand):
    help = "Write the committee report as PDF, DOCX, XLSX, CSV (zipped), JSON or print-ready HTML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-at", dest="as_at", help="The figures' date, YYYY-MM-DD.")
        parser.add_argument(
            "--report",
            type=int,
            help="A committee report's id: its words, dates and scope (frozen if published).",
        )
        parser.add_argument(
            "--scope",
            help="all (default), or any of case-holding, service-area:NAME, team:NAME[,NAME...] and "
            "role:NAME separated by ';' (without --report).",
        )
        parser.add_argument(
            "--window-start",
            dest="window_start",
            help="The first day of every section's window, YYYY-MM-DD (default: 12 months to the as-at).",
        )
        parser.add_argument(
            "--window-end", dest="window_end", help="The last day of every section's window, YYYY-MM-DD."
        )
        parser.add_argument(
            "--window",
            action="append",
            default=[],
            metavar="SECTION=START:END",
            help=f"One section's window, e.g. leavers=2014-04-01:2016-05-31; SECTION is one of "
            f"{', '.join(SECTION_KEYS)}. May be given for several sections.",
        )
        parser.add_argument(
            "--comparison-dates",
            dest="comparison_dates",
            help="Dates YYYY-MM-DD separated by commas, the first the baseline (default: the baseline and "
            "the last three quarter-ends).",
        )
        parser.add_argument("--format", required=True, choices=sorted(EXPORTERS), dest="format")
        parser.add_argument(
            "--output",
            help="The file to write; for JSON and HTML, standard output when not given.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        exporter = EXPORTERS[options["format"]]
        as_at = _date(options["as_at"], "--as-at") if options["as_at"] else None
        if options["output"]:
            _check_writable(options["output"])
        elif options["format"] not in TEXT_FORMATS:
            suffix = "zip" if exporter.identifier == "csv" else exporter.identifier
            raise CommandError(
                f"--output is needed for {exporter.verbose_name}, which is not text "
                f"(for example --output paper.{suffix})."
            )
        report = None
        if options["report"] is not None:
            report = CommitteeReport.objects.filter(pk=options["report"]).first()
            if report is None:
                raise CommandError(f"--report: there is no committee report {options['report']}.")
            if as_at is not None and as_at != report.as_at:
                raise CommandError(
                    f"--as-at: report {report.pk} is as at {report.as_at.isoformat()}, not {as_at}."
                )
            if options["scope"] or options["comparison_dates"] or _window_options(options):
                raise CommandError(
                    "--scope, --comparison-dates and the windows come from the report when --report is given."
                )
            summary = report_summary(report)
        else:
            if as_at is None:
                raise CommandError("--as-at is required (or --report).")
            try:
                scope = Scope.parse(options["scope"] or "all")
            except ScopeError as error:
                raise CommandError(f"--scope: {error}") from None
            try:
                dates = parse_comparison_dates(options["comparison_dates"] or "")
            except ValueError as error:
                raise CommandError(f"--comparison-dates: {error}") from None
            if any(day > as_at for day in dates):
                raise CommandError("--comparison-dates: every date must be on or before the as-at date.")
            default, overrides = _windows(options, as_at)
            summary = build_committee_summary(
                as_of=as_at,
                comparison_dates=dates or default_comparison_dates(as_at),
                scope=scope,
                windows={key: overrides.get(key, default) for key in SECTION_KEYS},
            )
        _, _, content = exporter.render(summary)
        if not options["output"]:
            text = content.decode("utf-8")
            self.stdout.write(text, ending="" if text.endswith("\n") else "\n")
        else:
            self._write(options["output"], content)
        services.log_export(
            user=None,
            format=exporter.identifier,
            as_at=summary.as_of,
            scope=report.scope if report else summary.scope_text,
            report=report,
            via="command line",
        )
        if options["output"]:
            self.stdout.write(
                f"Wrote {exporter.verbose_name} of the figures as at {long_date(summary.as_of)} "
                f"({summary.scope_label}) to {options['output']} ({len(content):,} bytes)."
            )

    def _write(self, path: str, content: bytes) -> None:
        try:
            with open(path, "wb") as output:
                output.write(content)
        except OSError as error:
            raise CommandError(f"--output: cannot write {path}: {error.strerror}.") from None
