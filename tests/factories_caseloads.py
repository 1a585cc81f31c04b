"""Caseloads and comparators for tests, written through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests import factories
from workforce.caseload_services import save_comparator
from workforce.models import Assignment, Comparator, Contract, Worker

JUNE_2019 = dt.date(2019, 6, 30)


def holder_of(post_reference: str, *, contract: str | None = None) -> Worker:
    """Return the worker holding the post (of ``contract``, where several do)."""
    assignments = Assignment.objects.filter(post__reference=post_reference)
    if contract:
        assignments = assignments.filter(contract=contract)
    return assignments.get().worker


def worked_caseloads(worked_example: dict[str, Any]) -> dict[str, Any]:
    """Give the worked example's people on 30 June 2019 the caseloads a month-end extract gives.

    P1 social worker 1.0: 22 cases (an older 15 on 31 May is superseded). P2 social worker,
    fixed term 0.6, qualified 1 September 2018 (ASYE): 12. P3 agency social worker 0.5: 9.
    P4 senior practitioner on maternity leave: no caseload, so not a case holder; her agency
    cover 1.0: 14 (a case holder by having cases). P6 agency social worker 1.0 in a temporary
    post: last counted on 10 May, 51 days before, so not known.

    Known: 57 cases held by 3.1 FTE, 18.4 per FTE case holder; one not known.
    """
    w1, a3, a6 = holder_of("P1"), holder_of("P3"), holder_of("P6")
    w2 = holder_of("P2")
    w2.date_qualified = dt.date(2018, 9, 1)
    factories.services.save_worker(worker=w2)
    a4 = holder_of("P4", contract=Contract.AGENCY)
    factories.caseload(w1, on=dt.date(2019, 5, 31), cases=15)
    factories.caseload(w1, on=dt.date(2019, 6, 28), cases=22)
    factories.caseload(
        w2, on=JUNE_2019, cases=12, child_in_need=5, child_protection=4, looked_after=3, care_leaver=0
    )
    factories.caseload(a3, on=JUNE_2019, cases=9)
    factories.caseload(a4, on=JUNE_2019, cases=14, child_protection=10)
    factories.caseload(a6, on=dt.date(2019, 5, 10), cases=17)
    return {**worked_example, "w1": w1, "w2": w2, "a3": a3, "a4": a4, "a6": a6}


def comparator(area: str, year: int, **fields: Any) -> Comparator:
    """Record a comparator through the service (figures as strings or numbers)."""
    values = {
        name: Decimal(str(value)) if name not in {"source", "area_name", "illustrative"} else value
        for name, value in fields.items()
    }
    values.setdefault("source", f"DfE, Children's social work workforce {year}")
    return save_comparator(comparator=Comparator(area=area, year=year, **values))
