"""The dashboard's kept summaries live in a cache every process shares: the database's
cache table by default, Redis when REDIS_URL is set (run by ``make redis-test``). One
process builds and keeps a summary; a second process, on the same database, finds it
kept and shows it without building it again."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.queue

BUILD = """
import datetime as dt, json
from foundation.periods import previous_quarter_ends
from pages.summaries import dashboard_summary, summary_key
from tests import factories
from workforce.scopes import Scope

team = factories.team("Shared Team")
factories.post(team=team, reference="S-1", fte="1.0")
days = previous_quarter_ends(dt.date(2019, 8, 15), 8)
kept = dashboard_summary(days, Scope())
print(json.dumps({
    "key": summary_key(days, Scope()),
    "built_at": kept.summary.built_at.isoformat(),
}))
"""

READ = """
import datetime as dt, json
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from foundation.periods import previous_quarter_ends
from pages.summaries import dashboard_summary
from workforce.scopes import Scope

days = previous_quarter_ends(dt.date(2019, 8, 15), 8)
with CaptureQueriesContext(connection) as queries:
    kept = dashboard_summary(days, Scope())
print(json.dumps({
    "found": cache.get("{key}") is not None,
    "built_at": kept.summary.built_at.isoformat(),
    "updating": kept.updating,
    "queries": [query["sql"] for query in queries.captured_queries],
}))
"""


def test_a_summary_kept_by_one_process_is_read_by_another(throwaway):
    built = json.loads(throwaway.python(BUILD).strip().splitlines()[-1])
    read = json.loads(throwaway.python(READ.replace("{key}", built["key"])).strip().splitlines()[-1])
    assert read["found"] and not read["updating"]
    assert read["built_at"] == built["built_at"]  # the same summary: not built again
    # The version of the records (one query), then the cache: its table, or Redis (no query).
    via_redis = bool(throwaway.env.get("REDIS_URL"))
    assert len(read["queries"]) == (1 if via_redis else 2)
    if not via_redis:
        assert "workforce_cache" in read["queries"][1]
