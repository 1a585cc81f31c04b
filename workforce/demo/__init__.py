"""Demonstration data: one realistic county's establishment with three years of history.

The history is simulated in memory first (``simulation``: a deterministic random walk of
people leaving, posts standing vacant, agency cover and new starters), then written through
the establishment services so every rule applies to it (``build``). ``county`` holds the
county's teams, names, suppliers and charges, which the other demonstration stages and the
scale generator draw on too.
"""

from workforce.demo.build import DEMO_USERS, build_establishment, ensure_demo_users
from workforce.demo.county import (
    BANDS,
    DEMO_PASSWORD,
    ETHNICITIES,
    FIRST_NAMES,
    HALF,
    LAST_NAMES,
    MANAGER_TEAMS,
    ONE,
    POSTS_ACTIVE_FROM,
    SEED,
    SERVICE_AREAS,
    SUPPLIERS,
    UNIVERSITIES,
    WEEKLY_CHARGE,
)
from workforce.demo.simulation import (
    DemoDates,
    EstablishmentSimulation,
    PlannedPost,
    PlannedWorker,
    Tenure,
    demo_dates,
)

__all__ = [
    "BANDS",
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "ETHNICITIES",
    "FIRST_NAMES",
    "HALF",
    "LAST_NAMES",
    "MANAGER_TEAMS",
    "ONE",
    "POSTS_ACTIVE_FROM",
    "SEED",
    "SERVICE_AREAS",
    "SUPPLIERS",
    "UNIVERSITIES",
    "WEEKLY_CHARGE",
    "DemoDates",
    "EstablishmentSimulation",
    "PlannedPost",
    "PlannedWorker",
    "Tenure",
    "build_establishment",
    "demo_dates",
    "ensure_demo_users",
]
