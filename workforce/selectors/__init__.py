"""Reads of the establishment: every post on a date, and the totals S, A, E, V.

The query counts here do not depend on how many posts there are: the per-post
figures are correlated subqueries in one query, the totals are grouped queries.

- ``posts``: every post on a date with its figures, and the totals of a list of posts;
- ``snapshot``: the establishment on one date by team, service area and role;
- ``dates``: the establishment on several dates at once;
- ``base``: FTE values and rows read without Django's converters.
"""

from workforce.selectors.base import FTE_OUTPUT, FTE_PLACES, ZERO, fte, raw_rows, sql_rows
from workforce.selectors.dates import (
    FTE_UNITS,
    _establishment_from_records,
    establishment_on_dates,
    fte_of_units,
)
from workforce.selectors.posts import (
    PostTotals,
    annotate_post_figures,
    kept_post_totals,
    post_totals,
    posts_on,
    workforce_version,
)
from workforce.selectors.snapshot import EstablishmentSnapshot, Figures, establishment_on

__all__ = [
    "FTE_OUTPUT",
    "FTE_PLACES",
    "FTE_UNITS",
    "ZERO",
    "EstablishmentSnapshot",
    "Figures",
    "PostTotals",
    "_establishment_from_records",
    "annotate_post_figures",
    "establishment_on",
    "establishment_on_dates",
    "fte",
    "fte_of_units",
    "post_totals",
    "kept_post_totals",
    "workforce_version",
    "posts_on",
    "raw_rows",
    "sql_rows",
]
