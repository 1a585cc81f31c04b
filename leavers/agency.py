"""What the agency rules need from the leavers records: the permanent social work roles agency
workers left in this council, for the three-month cool-off. The workforce app asks for them
with its ``departures_wanted`` signal (a lower floor cannot read leavers itself)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from foundation.periods import add_months
from leavers.models import Leaver, ReasonLeave
from workforce.agency_rules import Departure, setting
from workforce.models import Contract

REDUNDANCY = (ReasonLeave.VOLUNTARY_REDUNDANCY, ReasonLeave.COMPULSORY_REDUNDANCY)


def departures_for(sender: Any, *, workers: QuerySet, **kwargs: Any) -> dict[int, list[Departure]]:
    """Return {worker key: [Departure]} for every permanent social work role ``workers`` left
    here, each marked "redundancy" (census reason 2 or 3) or "probation" (left within the
    probation months of the setting ``PROBATION_MONTHS``, default 6, of their continuous
    service start) where the record shows it. One query."""
    probation = int(setting("PROBATION_MONTHS", 6))
    found: dict[int, list[Departure]] = defaultdict(list)
    rows = Leaver.objects.filter(
        worker_id__in=workers, contract=Contract.PERMANENT, role__in_scope=True
    ).values_list("worker_id", "leaving_date", "category__census_reason", "service_start")
    for worker_id, left_on, census_reason, service_start in rows:
        exception = ""
        if census_reason in REDUNDANCY:
            exception = "redundancy"
        elif service_start and add_months(service_start, probation) > left_on:
            exception = "probation"
        found[worker_id].append(Departure(left_on, "council", exception))
    return found
