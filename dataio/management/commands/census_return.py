"""Write the national workforce census return:
``python manage.py census_return --year YYYY --la-code NNN --output FILE.xml [--allow-incomplete]``,
or only list what would make it wrong: ``... --check`` (the scheduled pre-check's list)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dataio.census.build import LA_CODE_PATTERN, build_census_return, writable
from dataio.census.spec import NoSpecification, schema_problems, spec_for
from dataio.census.xml import render_census_xml, structure_problems
from foundation.dates import long_date
from foundation.measures import format_fte


class Command(BaseCommand):
    help = (
        "Write the children's social work workforce census return for the year to 30 September. "
        "Lists every problem in the records first, and refuses to write while there are any unless "
        "--allow-incomplete is given."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, required=True, help="The census year (ending 30 September).")
        parser.add_argument("--la-code", required=True, help="The council's three-digit LA code.")
        parser.add_argument("--output", help="The XML file to write (not with --check).")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only list the problems and notes; write nothing (the return's pre-check).",
        )
        parser.add_argument(
            "--allow-incomplete",
            action="store_true",
            help="Write the return even though the records have problems (they are still listed).",
        )

    def handle(
        self,
        *args: Any,
        year: int,
        la_code: str,
        output: str | None = None,
        allow_incomplete: bool = False,
        check: bool = False,
        **options: Any,
    ) -> None:
        if not check and not output:
            raise CommandError("Give --output FILE.xml to write the return, or --check to list its problems.")
        if not LA_CODE_PATTERN.match(la_code):
            raise CommandError(f"--la-code must be the council's three-digit LA code, not '{la_code}'.")
        if not 2000 <= year <= 2100:
            raise CommandError(f"--year {year} is not a census year.")
        try:
            spec_for(year)
        except NoSpecification as error:
            raise CommandError(str(error)) from None
        census = build_census_return(year=year, la_code=la_code)
        for warning in census.warnings:
            self.stdout.write(f"  note  {warning}")
        blocking = census.blocking_problems
        for problem in blocking:
            self.stderr.write(f"  problem  {problem}")
        if check:
            self.stdout.write(
                f"Checked: {len(blocking)} problem{'s' if len(blocking) != 1 else ''} and "
                f"{len(census.warnings)} note{'s' if len(census.warnings) != 1 else ''} in "
                f"{len(census.workers)} records; nothing was written."
            )
            return
        if not census.workers:
            raise CommandError(
                "Nobody was in a children's social work role in the year: there is no return to write."
            )
        if blocking and not allow_incomplete:
            raise CommandError(
                f"{len(blocking)} problem{'s' if len(blocking) != 1 else ''} would make the return wrong; "
                "nothing was written. Correct the records, or use --allow-incomplete to write it anyway."
            )
        census, left_out = writable(census)
        for record in left_out:
            self.stderr.write(f"  left out  {record.staff_reference}: no valid Social Work England number")
        if not census.workers:
            raise CommandError(
                "No record has a valid Social Work England number: there is no return to write."
            )
        content = render_census_xml(census, generated_at=timezone.now())
        spec = spec_for(year)
        invalid = structure_problems(content, spec)
        published = schema_problems(content, spec)
        invalid += published or []
        if invalid:
            raise CommandError(
                "The return would not be valid, so it was not written:\n  " + "\n  ".join(invalid)
            )
        _write_atomically(Path(output), content)

        employees = [record for record in census.workers if not record.agency]
        vacancies = census.vacancies
        self.stdout.write(
            f"Census {long_date(census.start)} to {long_date(census.reference_date)} for LA {la_code}: "
            f"{len(employees)} employee records "
            f"({sum(1 for r in employees if r.fte30 is not None)} in post on 30 September, "
            f"{sum(1 for r in employees if r.role_start and r.role_start >= census.start)} starters, "
            f"{sum(1 for r in employees if r.leaver)} leavers), "
            f"{len(census.workers) - len(employees)} agency workers; vacancies "
            f"{format_fte(vacancies.vacancy_fte)} FTE, agency workers covering vacancies "
            f"{format_fte(vacancies.agency_fte)} FTE ({vacancies.agency_headcount} people); "
            f"{sum(1 for r in census.workers if r.cases30 is not None)} caseloads at 30 September."
        )
        checked = (
            f"the published schema {spec.schema}"
            if published is not None
            else f"the {spec.title} (the published schema {spec.schema} is not at hand)"
        )
        self.stdout.write(f"Checked against {checked}.")
        verdict = "with problems (--allow-incomplete)" if blocking else "complete"
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}: {verdict}."))


def _write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so a reader never sees half a file."""
    try:
        directory = path.resolve().parent
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".census-", suffix=".xml")
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except OSError as error:
        raise CommandError(f"{path}: cannot be written ({error.strerror}).") from None
