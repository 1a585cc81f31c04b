"""How accurate the forecast has been: the forecast made as at past quarter-ends from what the
records held then, compared with what happened.

For each of the last eight quarter-ends with at least one quarter-end after it, the forecast is
made as known then (``forecast_inputs(..., as_known=True)``: the position and the flow rates on
that date, and only the events the records showed on it) and compared with the establishment
at one, two and four quarter-ends ahead, as the records show it now. The error is the mean
absolute difference, in FTE, over the forecasts that can be compared. Sixteen queries whatever
the number of records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from foundation import measures
from foundation.periods import previous_quarter_ends, quarter_end_on_or_before
from planning import assumptions, engine
from planning.selectors import forecast_inputs
from workforce.scopes import Scope
from workforce.selectors import establishment_on_dates

HORIZONS = (1, 2, 4)
ORIGINS = 8
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Comparison:
    origin: dt.date
    day: dt.date
    ahead: int  # quarters
    vacancy: Decimal  # forecast
    vacancy_actual: Decimal
    vacancy_range: tuple[Decimal, Decimal]
    in_post: Decimal
    in_post_actual: Decimal
    in_post_range: tuple[Decimal, Decimal]


@dataclass(frozen=True)
class Accuracy:
    ahead: int
    forecasts: int
    vacancy_error: Decimal | None  # mean absolute error, FTE
    vacancy_actual: Decimal | None  # mean of what happened, FTE
    vacancy_in_range: Decimal | None  # % of forecasts whose range held what happened
    in_post_error: Decimal | None
    in_post_actual: Decimal | None
    in_post_in_range: Decimal | None

    @property
    def vacancy_error_share(self) -> Decimal | None:
        """Return the error as a % of the vacancies there were."""
        if self.vacancy_error is None:
            return None
        return measures.percentage(self.vacancy_error, self.vacancy_actual)

    @property
    def in_post_error_share(self) -> Decimal | None:
        if self.in_post_error is None:
            return None
        return measures.percentage(self.in_post_error, self.in_post_actual)


@dataclass(frozen=True)
class Backtest:
    scope_label: str
    origins: tuple[dt.date, ...]
    last_actual: dt.date
    accuracy: tuple[Accuracy, ...]
    comparisons: tuple[Comparison, ...]


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal("0")) / len(values)).quantize(TENTH, ROUND_HALF_UP)


def _within(value: Decimal, bounds: tuple[Decimal, Decimal]) -> bool:
    return bounds[0] <= value <= bounds[1]


def backtest(*, today: dt.date, scope: Scope | None = None, origins: int = ORIGINS) -> Backtest:
    """Return the forecast's errors as at each of the ``origins`` quarter-ends before the last one
    on or before ``today``, 1, 2 and 4 quarters ahead."""
    scope = scope or Scope.everything()
    last = quarter_end_on_or_before(today)
    starts = tuple(previous_quarter_ends(last - dt.timedelta(days=1), origins))
    made = forecast_inputs(origins=starts, quarters=max(HORIZONS), scope=scope, as_known=True)
    targets = sorted({day for inputs in made.values() for day in inputs.quarter_ends if day <= last})
    actual = establishment_on_dates(targets, scope)
    comparisons = []
    for origin in starts:
        inputs = made[origin]
        projection = engine.project(inputs, assumptions.measured(inputs))
        for ahead in HORIZONS:
            quarter = projection.quarters[ahead - 1]
            if quarter.day > last:
                continue
            happened = actual[quarter.day].total
            comparisons.append(
                Comparison(
                    origin=origin,
                    day=quarter.day,
                    ahead=ahead,
                    vacancy=quarter.central.vacancy,
                    vacancy_actual=happened.vacancy_fte,
                    vacancy_range=quarter.range("vacancy"),
                    in_post=quarter.central.in_post,
                    in_post_actual=happened.in_post_fte,
                    in_post_range=quarter.range("in_post"),
                )
            )
    accuracy = []
    for ahead in HORIZONS:
        rows = [c for c in comparisons if c.ahead == ahead]
        accuracy.append(
            Accuracy(
                ahead=ahead,
                forecasts=len(rows),
                vacancy_error=_mean([abs(c.vacancy - c.vacancy_actual) for c in rows]),
                vacancy_actual=_mean([c.vacancy_actual for c in rows]),
                vacancy_in_range=measures.percentage(
                    sum(_within(c.vacancy_actual, c.vacancy_range) for c in rows), len(rows)
                ),
                in_post_error=_mean([abs(c.in_post - c.in_post_actual) for c in rows]),
                in_post_actual=_mean([c.in_post_actual for c in rows]),
                in_post_in_range=measures.percentage(
                    sum(_within(c.in_post_actual, c.in_post_range) for c in rows), len(rows)
                ),
            )
        )
    return Backtest(
        scope_label=scope.label,
        origins=starts,
        last_actual=last,
        accuracy=tuple(accuracy),
        comparisons=tuple(comparisons),
    )
