"""Reads for planning ahead. The query counts here depend neither on the number of records nor on
the number of dates.

- ``inputs``: what the forecast starts from, for one as-at date or several (the backtest);
- ``movement``: the changes between two dates that explain why a rate moved;
- ``scenarios``: the scenarios a person may see, and their levers within a scope.
"""

from planning.selectors.inputs import covers_every_team, forecast_inputs, team_in_scope
from planning.selectors.scenarios import applicable, levers_in_scope, visible_scenarios

__all__ = [
    "applicable",
    "covers_every_team",
    "forecast_inputs",
    "levers_in_scope",
    "team_in_scope",
    "visible_scenarios",
]
