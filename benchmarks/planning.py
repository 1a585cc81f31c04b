"""Benchmark items for planning ahead (issue 19): the forecast for the whole council, why the
rates moved, and the backtest. ``benchmarks/run.py`` lists them in ``items()``.

Each ``prepare`` function returns the function to time, as ``run.py`` expects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def forecast() -> Callable[[], Any]:
    """Return the whole council's forecast from today over eight quarter-ends (the page's and the
    command's reads and sums), with its range and the known events."""
    from planning.outlook import build_outlook
    from workforce.scopes import Scope

    today = _today()
    return lambda: build_outlook(as_of=today, quarters=8, scope=Scope.everything())


def rate_movement() -> Callable[[], Any]:
    """Return why the vacancy and agency rates moved between the last two quarter-ends, the whole
    council, with the rate without the posts added since the first."""
    from planning.movement import default_dates
    from planning.selectors.movement import rate_movement as movement

    start, end = default_dates(_today())
    return lambda: movement(start=start, end=end, without_since=start)


def backtest() -> Callable[[], Any]:
    """Return the backtest of the whole council's forecast as at the last eight quarter-ends."""
    from planning.backtest import backtest as run

    today = _today()
    return lambda: run(today=today)
