import datetime as dt

import pytest

from tests import factories
from tests.processes import throwaway  # noqa: F401 - a database shared with processes the test starts
from tests.queue import queue  # noqa: F401 - the real task queue, for the tests that take it
from workforce.models import AbsenceReason, AgencyReason, Contract, Funding

WORKED_EXAMPLE_DAY = dt.date(2019, 6, 30)


@pytest.fixture
def worked_example(db):
    """DOMAIN.md's worked example: one case-holding team on 30 June 2019."""
    team = factories.team("Worked Example Team")
    p1 = factories.post(team=team, reference="P1", fte="1.0")
    p2 = factories.post(team=team, reference="P2", fte="1.0")
    p3 = factories.post(team=team, reference="P3", fte="0.5")
    p4 = factories.post(team=team, reference="P4", role_code="senior-practitioner", fte="1.0")
    p5 = factories.post(team=team, reference="P5", role_code="team-manager", fte="1.0")
    p6 = factories.post(team=team, reference="P6", fte="1.0", funding=Funding.TEMPORARY)
    start = dt.date(2018, 1, 1)
    factories.assign(p1, fte="1.0", start=start)
    factories.assign(p2, fte="0.6", contract=Contract.FIXED_TERM, start=start)
    factories.assign(p3, fte="0.5", contract=Contract.AGENCY, reason=AgencyReason.VACANCY, start=start)
    w4 = factories.worker(first_name="Wendy", last_name="Four")
    factories.assign(p4, worker_=w4, fte="1.0", start=start)
    factories.absence(w4, reason=AbsenceReason.MAT, start=dt.date(2019, 3, 1), end=dt.date(2019, 12, 31))
    factories.assign(
        p4, fte="1.0", contract=Contract.AGENCY, reason=AgencyReason.MATERNITY, start=dt.date(2019, 3, 1)
    )
    factories.assign(
        p6, fte="1.0", contract=Contract.AGENCY, reason=AgencyReason.ADDITIONAL_CAPACITY, start=start
    )
    return {
        "team": team,
        "posts": {p.reference: p for p in (p1, p2, p3, p4, p5, p6)},
        "day": WORKED_EXAMPLE_DAY,
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: the dashboard keeps summaries in it, and a
    database rolled back after a test can hand out the same ids again. The charts each
    process keeps drawn (``reporting.charts``) too, for the tests that count drawing."""
    from django.core.cache import cache

    from reporting import charts

    cache.clear()
    charts._DRAWN.clear()
    yield
    cache.clear()
