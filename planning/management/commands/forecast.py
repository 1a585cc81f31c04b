"""Write the establishment forecast from the command line:

python manage.py forecast --as-at 2019-06-30 --quarters 4 [--scenario NAME] --format json|csv [--output FILE]

With ``--backtest`` it writes how accurate the forecast has been instead (the errors of the
forecasts made as at the eight quarter-ends before ``--as-at``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from foundation.cells import safe_text
from foundation.dates import long_date
from planning import export
from planning.backtest import Backtest, backtest
from planning.models import Scenario
from planning.outlook import MAX_QUARTERS, MIN_QUARTERS, build_outlook
from workforce.scopes import Scope, ScopeError


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


def _scenario(name: str, owner: str | None) -> Scenario:
    found = Scenario.objects.filter(name__iexact=name.strip()).select_related("owner")
    if owner:
        found = found.filter(owner__username=owner)
    found = list(found)
    if not found:
        whose = f" owned by {owner}" if owner else ""
        raise CommandError(f"--scenario: there is no scenario called '{name}'{whose}.")
    if len(found) > 1:
        owners = ", ".join(sorted(scenario.owner.get_username() for scenario in found))
        raise CommandError(
            f"--scenario: several scenarios are called '{name}' (owners: {owners}); add --owner."
        )
    return found[0]


def backtest_data(result: Backtest) -> dict[str, Any]:
    """Return the backtest's errors as JSON-ready data."""

    def number(value: object) -> str | None:
        return None if value is None else f"{value:f}"

    return {
        "scope_label": result.scope_label,
        "forecasts_as_at": [day.isoformat() for day in result.origins],
        "compared_with_records_to": result.last_actual.isoformat(),
        "accuracy": [
            {
                "quarters_ahead": row.ahead,
                "forecasts": row.forecasts,
                "vacancy_mean_absolute_error_fte": number(row.vacancy_error),
                "vacancy_mean_fte": number(row.vacancy_actual),
                "vacancy_within_range_percent": number(row.vacancy_in_range),
                "in_post_mean_absolute_error_fte": number(row.in_post_error),
                "in_post_mean_fte": number(row.in_post_actual),
                "in_post_within_range_percent": number(row.in_post_in_range),
            }
            for row in result.accuracy
        ],
    }


class Command(BaseCommand):
    help = "Write the establishment forecast (E, S, A, V and the rates, with their range) as JSON or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-at", dest="as_at", required=True, help="The forecast's starting date, YYYY-MM-DD."
        )
        parser.add_argument(
            "--quarters",
            type=int,
            default=4,
            help=f"Quarter-ends to forecast, {MIN_QUARTERS} to {MAX_QUARTERS}.",
        )
        parser.add_argument("--scenario", help="A saved scenario's name: its forecast beside the base one.")
        parser.add_argument("--owner", help="The scenario's owner (username), where several share its name.")
        parser.add_argument("--scope", help="all (default), case-holding, service-area:NAME or team:NAME.")
        parser.add_argument("--format", default="json", dest="format", help="json (default) or csv.")
        parser.add_argument("--output", help="The file to write; standard output when not given.")
        parser.add_argument(
            "--backtest",
            action="store_true",
            help="Write how accurate the forecast has been as at the 8 quarter-ends before --as-at.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_at = _date(options["as_at"], "--as-at")
        quarters = options["quarters"]
        if not MIN_QUARTERS <= quarters <= MAX_QUARTERS:
            raise CommandError(f"--quarters: give {MIN_QUARTERS} to {MAX_QUARTERS}, not {quarters}.")
        if options["format"] not in export.FORMATS:
            raise CommandError(f"--format: '{options['format']}' is not one of json or csv.")
        try:
            scope = Scope.parse(options["scope"] or "all")
        except ScopeError as error:
            raise CommandError(f"--scope: {error}") from None
        if options["output"]:
            _check_writable(options["output"])
        if options["backtest"]:
            if options["scenario"]:
                raise CommandError("--scenario: the backtest tests the base forecast only.")
            content = self._backtest(backtest(today=as_at, scope=scope), options["format"])
        else:
            scenario = _scenario(options["scenario"], options["owner"]) if options["scenario"] else None
            outlook = build_outlook(as_of=as_at, quarters=quarters, scope=scope, scenario=scenario)
            content = export.render(outlook, options["format"])
        if not options["output"]:
            self.stdout.write(content.decode(), ending="" if content.endswith(b"\n") else "\n")
            return
        try:
            with open(options["output"], "wb") as output:
                output.write(content)
        except OSError as error:
            raise CommandError(f"--output: cannot write {options['output']}: {error.strerror}.") from None
        self.stderr.write(
            f"Wrote the forecast as at {long_date(as_at)} ({scope.label}) to {options['output']}."
        )

    def _backtest(self, result: Backtest, format: str) -> bytes:
        data = backtest_data(result)
        if format == "json":
            return json.dumps(data, indent=2).encode()
        out = io.StringIO()
        rows = data["accuracy"]
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({key: safe_text(value) for key, value in row.items()} for row in rows)
        return out.getvalue().encode()
