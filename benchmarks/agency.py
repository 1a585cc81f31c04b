"""Benchmark items of the agency work: DfE's quarterly agency return for the last complete
quarter (build, pre-checks and CSV, as ``manage.py agency_return --allow-incomplete`` writes it).
The pages ``/agency/`` and ``/agency/spend/`` are measured with ``run.page``."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def prepare_agency_return() -> Callable[[], Any]:
    """Return a run of the agency return command for the last complete quarter."""
    from django.core.management import call_command
    from django.utils import timezone

    from foundation.periods import quarter_end_on_or_before, quarter_label

    quarter = quarter_label(quarter_end_on_or_before(timezone.localdate()))
    output = Path(tempfile.gettempdir()) / f"benchmark-agency-{os.getpid()}.csv"

    def run() -> None:
        call_command(
            "agency_return",
            quarter=quarter,
            output=str(output),
            allow_incomplete=True,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )

    return run
