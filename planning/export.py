"""The forecast written out as JSON or CSV (the command line and the page's downloads).

Figures only: no names or staff references. Numbers are written exactly as the forecast gives
them (FTE to four places, rates as the product rounds them).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from foundation.cells import safe_text
from planning.engine import MEASURES, Figures, Projection
from planning.outlook import Outlook

FORMATS = ("json", "csv")


def _number(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _figures(figures: Figures) -> dict[str, str | None]:
    return {measure: _number(getattr(figures, measure)) for measure in MEASURES}


def _series(projection: Projection) -> dict[str, Any]:
    return {
        "start": {"date": projection.as_of.isoformat(), **_figures(projection.start)},
        "quarters": [
            {
                "date": quarter.day.isoformat(),
                **_figures(quarter.central),
                "leavers_in_quarter": _number(quarter.central.leavers),
                "starters_in_quarter": _number(quarter.central.starters),
                "range": {
                    measure: [_number(value) for value in quarter.range(measure)]
                    for measure in MEASURES
                    if measure != "establishment"
                },
            }
            for quarter in projection.quarters
        ],
    }


def as_data(outlook: Outlook) -> dict[str, Any]:
    """Return the forecast, its assumptions and the events it starts from as JSON-ready data."""
    assumed = outlook.assumptions
    data: dict[str, Any] = {
        "as_at": outlook.as_of.isoformat(),
        "scope": outlook.scope.as_text(),
        "scope_label": outlook.scope.label,
        "quarter_ends": [day.isoformat() for day in outlook.quarter_ends],
        "assumptions": {
            "confidence_percent": assumed.confidence,
            "offer_acceptance_percent": _number(assumed.offer_acceptance),
            "days_offer_to_start": _number(assumed.days_offer_to_start),
            "roles": [
                {
                    "role": role.role_name,
                    "turnover_percent": _number(role.turnover),
                    "turnover_measured": _number(role.turnover_measured),
                    "median_days_vacancy_to_start": _number(role.days_to_fill),
                    "agency_cover_percent": _number(role.cover_share),
                    "starter_fte": _number(role.starter_fte),
                }
                for role in assumed.roles.values()
            ],
        },
        "known_events": [
            {"event": row.label, "fte_by_quarter": [_number(value) for value in row.by_quarter]}
            for row in outlook.known
        ],
        "base": _series(outlook.base),
    }
    if outlook.with_scenario is not None:
        data["scenario"] = {
            "name": outlook.scenario.name if outlook.scenario else "",
            **_series(outlook.with_scenario),
        }
    return data


def as_json(outlook: Outlook) -> bytes:
    return json.dumps(as_data(outlook), indent=2).encode()



CSV_COLUMNS = ["series", "date", *MEASURES] + [
    f"{measure}_{end}" for measure in MEASURES if measure != "establishment" for end in ("low", "high")
]


def as_csv(outlook: Outlook) -> bytes:
    """Return the forecast as CSV: a row for each quarter-end of the base forecast (and the
    scenario's), the central figure of each measure and the low and high ends of its range."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    series = [("base", outlook.base)]
    if outlook.with_scenario is not None:
        name = outlook.scenario.name if outlook.scenario else "scenario"
        series.append((f"scenario: {name}", outlook.with_scenario))
    for label, projection in series:
        start = projection.start
        writer.writerow(
            [safe_text(label), projection.as_of.isoformat(), *(_number(getattr(start, m)) for m in MEASURES)]
            + [None] * (len(CSV_COLUMNS) - 2 - len(MEASURES))
        )
        for quarter in projection.quarters:
            ranges = [_number(value) for m in MEASURES if m != "establishment" for value in quarter.range(m)]
            writer.writerow(
                [
                    safe_text(label),
                    quarter.day.isoformat(),
                    *(_number(getattr(quarter.central, m)) for m in MEASURES),
                ]
                + ranges
            )
    return out.getvalue().encode()


def render(outlook: Outlook, format: str) -> bytes:
    """Return the forecast in ``format`` (json or csv)."""
    if format == "json":
        return as_json(outlook)
    if format == "csv":
        return as_csv(outlook)
    raise ValueError(f"Unknown format '{format}': use json or csv.")
