"""The comparators file: published figures for England, the region and statistical neighbours.

One row per area and census year, as DfE's children's social work workforce tables give
them, with where they come from. Rows are matched by area and year, so a corrected file
updates the figures in place, and each is saved through ``workforce.caseload_services``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dataio.importing import values as read
from dataio.importing.kinds.base import (
    Applied,
    Column,
    Kind,
    assign,
    choices_text,
    field_values,
    name_in_history,
    outcome,
)
from workforce.caseload_services import save_comparator
from workforce.models import Comparator, ComparatorArea

if TYPE_CHECKING:
    from dataio.importing.context import Context

EXISTING = "comparators"


def percent(value: Any) -> Decimal:
    """Return a percentage written as "15.4" or "15.4%" as the number 15.4.

    An Excel cell formatted as a percentage holds a fraction (0.154) that cannot be told from
    a small rate written as a number, so it is read as written: docs/import.md says so.
    """
    if isinstance(value, str) and value.strip().endswith("%"):
        return read.decimal(value.strip()[:-1])
    return read.decimal(value)


def _rate(name: str, label: str, example: str) -> Column:
    return Column(
        name,
        percent,
        f"The {label} as a percentage (15.4 or 15.4%), to one decimal place; blank: not given.",
        example,
        field=name,
    )


class Comparators(Kind):
    name = "comparators"
    title = "Comparators"
    record = "comparator"
    key = ("area", "year")
    columns = (
        Column(
            "area",
            read.choice(ComparatorArea.choices, what="comparator area"),
            "Whose figures: " + choices_text(ComparatorArea.choices) + ".",
            "england",
            required=True,
            field="area",
        ),
        Column(
            "year",
            read.whole_number,
            "The census year: the figures are at 30 September of it. With the area, this is the "
            "comparator's reference.",
            "2024",
            required=True,
            field="year",
        ),
        Column(
            "area_name",
            read.text,
            "The region's name, or how the neighbours are described; blank: none.",
            "South East",
            field="area_name",
            empty="",
        ),
        _rate("turnover_rate", "turnover rate", "15.8"),
        _rate("vacancy_rate", "vacancy rate", "17.1"),
        _rate("agency_rate", "agency rate", "17.6"),
        Column(
            "caseload",
            read.decimal,
            "Cases per FTE case holder, to one decimal place; blank: not given.",
            "16.3",
            field="caseload",
        ),
        _rate("absence_rate", "absence rate", "3.2"),
        Column(
            "source",
            read.text,
            "Where the figures come from: publication, year and table.",
            "DfE, Children's social work workforce 2024, table 1",
            required=True,
            field="source",
        ),
        Column(
            "illustrative",
            read.yes_no,
            "Made-up figures for a demonstration rather than published ones? Yes or no; blank: no.",
            "no",
            field="illustrative",
            empty=False,
        ),
    )

    def prepare(self, rows: list[dict[str, Any]], context: Context) -> None:
        """Read the comparators recorded (a short list: a few a year)."""
        context.extra[EXISTING] = {
            (comparator.area.casefold(), comparator.year): comparator
            for comparator in Comparator.objects.all()
        }

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        existing = context.extra[EXISTING]
        key = self.identity(values)
        comparator = existing.get(key) or Comparator()
        adding = comparator._state.adding
        changes = assign(comparator, field_values(self, values))
        if adding or changes:
            name_in_history(comparator, context)
            save_comparator(comparator=comparator)
            existing[key] = comparator
        return outcome(adding, changes)
