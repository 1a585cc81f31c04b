"""Write DfE's quarterly agency return:
``python manage.py agency_return --quarter 2026-Q3 --output agency-2026-Q3.csv [--allow-incomplete]``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dataio.agency_return import build_agency_return, render_csv
from foundation.dates import long_date


class Command(BaseCommand):
    help = (
        "Write the quarterly return on agency child and family social workers for DfE: one row per agency "
        "engagement active in the quarter (calendar quarters: 2026-Q3 is July to September 2026). Lists "
        "what is missing first, and refuses to write while data the columns need is missing unless "
        "--allow-incomplete is given."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quarter", required=True, help="The quarter, as YYYY-QN (e.g. 2026-Q3).")
        parser.add_argument("--output", required=True, help="The CSV file to write.")
        parser.add_argument(
            "--allow-incomplete",
            action="store_true",
            help="Write the return even though data is missing (it is still listed).",
        )

    def handle(
        self, *args: Any, quarter: str, output: str, allow_incomplete: bool = False, **options: Any
    ) -> None:
        try:
            built = build_agency_return(quarter)
        except ValueError as error:
            raise CommandError(f"--quarter: {error}") from None
        for note in built.notes:
            self.stdout.write(f"  note  {note}")
        blocking = built.blocking_problems
        for problem in blocking:
            self.stderr.write(f"  missing  {problem}")
        if not built.rows:
            raise CommandError(
                "No agency worker in a children's social work role was engaged from "
                f"{long_date(built.start)} to {long_date(built.end)}: there is no return to write."
            )
        if blocking and not allow_incomplete:
            raise CommandError(
                f"{len(blocking)} item{'s' if len(blocking) != 1 else ''} missing would make the return "
                "wrong; nothing was written. Complete the records, or use --allow-incomplete to write it."
            )
        _write_atomically(Path(output), render_csv(built))
        verdict = "with missing data (--allow-incomplete)" if blocking else "complete"
        self.stdout.write(
            f"Agency return {built.quarter} ({long_date(built.start)} to {long_date(built.end)}): "
            f"{len(built.rows)} engagement{'s' if len(built.rows) != 1 else ''} of "
            f"{len({row.engagement.worker_id for row in built.rows})} agency workers."
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}: {verdict}."))


def _write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so a reader never sees half a file."""
    try:
        directory = path.resolve().parent
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".agency-", suffix=".csv")
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except OSError as error:
        raise CommandError(f"{path}: cannot be written ({error.strerror}).") from None
