"""Bulk upload of applications from a CSV or XLSX file: a dry run first, then all or nothing.

``read_rows`` turns a file into rows of text keyed by column; ``import_applications``
checks every row (with the same rules and service as a single application) and saves
them all or none. A general importer can call ``import_applications`` with rows it read
itself. Every problem names the row (as the spreadsheet numbers it: the header is row
1), the column and what is wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, prefetch_related_objects

from foundation.encodings import NotDecodable, decode_text
from foundation.text import text_problem
from foundation.workbooks import Limits, NotReadable, Unreadable, read_first_sheet
from recruitment import services
from recruitment.models import Application, Campaign, Channel
from workforce.models import Team, Worker

REQUIRED = ("first_name", "last_name", "role", "received_on")
OPTIONAL = ("email", "phone", "internal", "newly_qualified", "source", "team", "staff_reference")
COLUMNS = REQUIRED + OPTIONAL
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
YES = {"yes", "y", "true", "1", "internal"}
NO = {"no", "n", "false", "0", "", "external"}
MAX_ROWS = 5000
# Model fields whose errors belong to another column of the file.
FIELD_COLUMNS = {"worker": "staff_reference", "campaign": "role", "__all__": "row"}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (its type, its header), with a message for the user."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, column {self.column}: {self.message}"


@dataclass
class ImportResult:
    """What an upload did (or, in a dry run, would do)."""

    applications: list[Application] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _header(value: Any) -> str:
    return str(value or "").strip().lower().replace(" ", "_").replace("-", "_")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(*, content: bytes, filename: str) -> list[dict[str, str]]:
    """Return the rows of a CSV or XLSX file as dicts keyed by column (lower case, underscores).

    Raise ``ImportFileError`` for a file that cannot be read or lacks a required column.
    """
    name = filename.lower()
    # The same readers as the HR extract's import (encodings decided with certainty, a
    # workbook's size checked before it is parsed, formulas read as their saved values).
    if name.endswith(".csv"):
        try:
            text = decode_text(content).text
        except NotDecodable as error:
            raise ImportFileError(f"The CSV file cannot be read: {error}") from None
        table = []
        for row in csv.reader(io.StringIO(text, newline="")):
            table.append(row)
            if len(table) > MAX_ROWS + 1:
                raise ImportFileError(
                    f"The file has more than {MAX_ROWS} rows; upload at most that many at a time."
                )
    elif name.endswith(".xlsx"):
        try:
            sheet = read_first_sheet(content, Limits(max_rows=MAX_ROWS))
        except NotReadable as error:
            raise ImportFileError(f"The XLSX file cannot be opened: {error}") from None
        unreadable = [str(cell) for _, row in sheet.rows for cell in row if isinstance(cell, Unreadable)]
        if unreadable:
            more = f" (and {len(unreadable) - 1} more cells)" if len(unreadable) > 1 else ""
            raise ImportFileError(f"The XLSX file cannot be read: {unreadable[0]}{more}.")
        table = [row for _, row in sheet.rows]
    else:
        raise ImportFileError("Upload a .csv or .xlsx file.")

    table = [row for row in table if any(_cell(value) for value in row)]
    if not table:
        raise ImportFileError("The file is empty.")
    headers = [_header(value) for value in table[0]]
    missing = [column for column in REQUIRED if column not in headers]
    if missing:
        raise ImportFileError(
            f"Row 1: the header has no {', '.join(missing)} column. Columns: {', '.join(COLUMNS)}."
        )
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(f"The file has {len(table) - 1} rows; upload at most {MAX_ROWS} at a time.")
    return [
        {header: _cell(value) for header, value in zip(headers, row, strict=False) if header}
        for row in table[1:]
    ]


def _date(text: str) -> dt.date | None:
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class _Lookups:
    """The campaign's roles, the teams, the channels and the workers named in the file, read once."""

    def __init__(self, campaign: Campaign, rows: Sequence[Mapping[str, str]]) -> None:
        prefetch_related_objects([campaign], "roles")  # one query for every row's role check
        self.roles = list(campaign.roles.all())
        self.teams = {team.name.lower(): team for team in Team.objects.all()}
        self.channels: dict[str, Channel] = {}
        for channel in Channel.objects.all():
            self.channels[channel.code.lower()] = channel
            self.channels[channel.name.lower()] = channel
        references = {row.get("staff_reference", "").strip() for row in rows} - {""}
        self.workers = {
            w.staff_reference.lower(): w for w in Worker.objects.filter(staff_reference__in=references)
        }
        self.existing = {
            (email.lower(), role_id)
            for email, role_id in Application.objects.filter(campaign=campaign)
            .filter(~Q(email=""))
            .values_list("email", "role_id")
        }

    def role(self, text: str) -> Any:
        wanted = text.strip().lower()
        return next((r for r in self.roles if wanted in {r.name.lower(), r.code.lower()}), None)


def parse_applications(
    *, campaign: Campaign, rows: Sequence[Mapping[str, str]], first_row: int = 2
) -> ImportResult:
    """Return the applications ``rows`` describe (unsaved) and every problem found in them.

    Each application is checked with the rules a single one must pass. ``first_row`` is
    the spreadsheet number of the first row (2, under the header).
    """
    result = ImportResult()
    lookups = _Lookups(campaign, rows)
    seen: dict[tuple[str, int], int] = {}
    role_names = ", ".join(r.name for r in lookups.roles) or "none"
    for offset, row in enumerate(rows):
        number = first_row + offset
        errors: list[RowError] = []

        def problem(column: str, message: str, number: int = number, errors: list = errors) -> None:
            errors.append(RowError(number, column, message))

        for column, value in row.items():
            refused = text_problem(value) if isinstance(value, str) else None
            if refused is not None:
                problem(column, refused)
        for column in REQUIRED:
            if not row.get(column, "").strip():
                problem(column, "is empty; it is required.")
        role = None
        if row.get("role", "").strip():
            role = lookups.role(row["role"])
            if role is None:
                problem("role", f"'{row['role']}' is not one of this campaign's roles ({role_names}).")
        received = None
        if row.get("received_on", "").strip():
            received = _date(row["received_on"].strip())
            if received is None:
                problem("received_on", f"'{row['received_on']}' is not a date; write it as 31/01/2026.")
        flags = {}
        for column in ("internal", "newly_qualified"):
            text = row.get(column, "").strip().lower()
            if text in YES:
                flags[column] = True
            elif text in NO:
                flags[column] = False
            else:
                problem(column, f"'{row[column]}' should be yes or no.")
        source = None
        if row.get("source", "").strip():
            source = lookups.channels.get(row["source"].strip().lower())
            if source is None:
                problem("source", f"'{row['source']}' is not a known channel.")
        team = None
        if row.get("team", "").strip():
            team = lookups.teams.get(row["team"].strip().lower())
            if team is None:
                problem("team", f"'{row['team']}' is not a team.")
        worker = None
        if row.get("staff_reference", "").strip():
            worker = lookups.workers.get(row["staff_reference"].strip().lower())
            if worker is None:
                problem("staff_reference", f"No worker has the staff reference '{row['staff_reference']}'.")
        email = row.get("email", "").strip()
        if email and role is not None:
            key = (email.lower(), role.pk)
            if key in seen:
                problem("email", f"Row {seen[key]} already has an application from {email} for {role.name}.")
            elif key in lookups.existing:
                problem("email", f"{email} has already applied to this campaign for {role.name}.")
            seen.setdefault(key, number)

        if not errors:
            application = Application(
                campaign=campaign,
                role=role,
                team=team,
                first_name=row["first_name"].strip(),
                last_name=row["last_name"].strip(),
                email=email,
                phone=row.get("phone", "").strip(),
                worker=worker,
                internal=flags["internal"],
                newly_qualified=flags["newly_qualified"],
                source=source,
                received_on=received,
            )
            try:
                application.full_clean()
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    for message in messages:
                        problem(FIELD_COLUMNS.get(name, name), message)
            else:
                result.applications.append(application)
        result.errors.extend(errors)
    return result


def import_applications(
    *, campaign: Campaign, rows: Sequence[Mapping[str, str]], dry_run: bool = True, user: Any = None
) -> ImportResult:
    """Check ``rows`` and, unless ``dry_run`` or any row has a problem, save them all.

    All or nothing: with one problem anywhere, no application is saved.
    """
    result = parse_applications(campaign=campaign, rows=rows)
    result.dry_run = dry_run
    if dry_run or not result.ok:
        return result
    with transaction.atomic():
        for application in result.applications:
            services.save_application(application=application, user=user)
    result.saved = True
    return result
