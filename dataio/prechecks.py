"""Pre-checks of the returns the council sends: what would make each wrong, before it is due.

Each return registers one ``PreCheck`` in ``PRECHECKS`` below, by the dotted path of the
object, so adding a return's pre-check is one line there. For each, the scheduled work
``NAME-precheck`` (``manage.py run_scheduled census-precheck``) emails HR and the
directors the counts of problems while the return is in season, and the page
``/returns/checks/`` lists every problem to correct. Nothing is written: a return is only
written by its own command (``census_return``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import import_string

# The returns' pre-checks, by name: the dotted path of each ``PreCheck``.
PRECHECKS: dict[str, str] = {
    "census": "dataio.census.precheck.CENSUS",
    "agency": "dataio.agency_return.precheck.AGENCY",
}


@dataclass(frozen=True)
class PreCheckProblem:
    reference: str  # a staff reference, a post, or "(council)"
    item: str  # what in the return it affects, e.g. "SWENo"
    message: str
    blocking: bool  # True: the return would be wrong; False: thinner (an item left out)


@dataclass(frozen=True)
class PreCheckResult:
    """What one pre-check found, as plain data for the email and the page."""

    title: str  # "The children's social work workforce census 2026"
    period: str  # "1 October 2025 to 30 September 2026"
    deadline: dt.date
    due: bool  # whether the return is in season (its checks are emailed)
    problems: tuple[PreCheckProblem, ...]
    records: int  # how many records the return would hold

    @property
    def blocking(self) -> list[PreCheckProblem]:
        return [problem for problem in self.problems if problem.blocking]

    @property
    def notes(self) -> list[PreCheckProblem]:
        return [problem for problem in self.problems if not problem.blocking]

    def by_item(self) -> list[tuple[str, int, int]]:
        """Return (item, problems, notes) counts, the items with most problems first."""
        blocking = Counter(problem.item for problem in self.blocking)
        notes = Counter(problem.item for problem in self.notes)
        items = sorted(set(blocking) | set(notes), key=lambda item: (-blocking[item], -notes[item], item))
        return [(item, blocking[item], notes[item]) for item in items]


@dataclass(frozen=True)
class PreCheck:
    name: str  # "census": the scheduled work is "census-precheck"
    title: str  # "The children's social work workforce census"
    run: Callable[[dt.date], PreCheckResult]  # the check as on a day, writing nothing


def prechecks() -> dict[str, PreCheck]:
    """Return every registered pre-check, by name."""
    return {name: import_string(path) for name, path in PRECHECKS.items()}
