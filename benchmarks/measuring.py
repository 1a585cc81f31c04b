"""The measuring of ``benchmarks/run.py``: an item, its warm-up, timed and traced runs, its
query count and time, a time limit, and the printed table."""

from __future__ import annotations

import gc
import resource
import signal
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


class NotAvailable(Exception):
    """The code an item measures is not there (yet)."""


class TimedOut(Exception):
    """One run of an item took longer than ``--timeout``."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``TimedOut`` in the code run inside if it takes more than ``seconds`` (0: no limit)."""
    if not seconds or not hasattr(signal, "SIGALRM"):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise TimedOut(f"one run took more than {seconds:,.0f} s (--timeout)")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Item:
    key: str
    label: str
    prepare: Callable[[], Callable[[], Any]]  # returns the function to time
    target_ms: float | None = None
    target_text: str = ""
    rows: int | None = None  # for a rate (rows a second)
    result: dict[str, Any] = field(default_factory=dict)


# --- measuring ------------------------------------------------------------------------------------


class QueryCounter:
    """Count the statements run on the default database while in use (however many there are,
    and whether or not DEBUG keeps a log of them)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> QueryCounter:
        from django.db import connection

        self._wrapped = connection.execute_wrapper(self)
        self._wrapped.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._wrapped.__exit__(*exc)


class QueryTimer(QueryCounter):
    """Time each statement run on the default database."""

    def __init__(self) -> None:
        super().__init__()
        self.timings: list[tuple[float, str]] = []

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.timings.append((time.perf_counter() - began, sql))


def profile(item: Item, function: Callable[[], Any]) -> None:
    """Run ``function`` once more and print its slowest statements and the product's slowest functions."""
    import cProfile
    import pstats
    import re

    profiler = cProfile.Profile()
    with QueryTimer() as timer:
        profiler.enable()
        function()
        profiler.disable()
    total = sum(seconds for seconds, _ in timer.timings)
    print(
        f"  profile of {item.label}: {len(timer.timings)} statements, {total * 1000:,.1f} ms in the database"
    )
    for seconds, sql in sorted(timer.timings, reverse=True)[:5]:
        flat = re.sub(r"\s+", " ", sql)
        print(f"    {seconds * 1000:9,.1f} ms  {flat[:300]}")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(
        r"/(workforce|leavers|recruitment|reporting|dataio|access)/", 12
    )


def measure(
    item: Item, *, runs: int, budget: float, timeout: float = 0, profiled: bool = False
) -> dict[str, Any]:
    """Return the item's timings (ms), query count and peak memory, or why it could not run."""
    try:
        function = item.prepare()
        before = getattr(function, "before", lambda: None)  # untimed set-up before each run
        before()
        with QueryCounter() as queries, time_limit(timeout):
            began = time.perf_counter()
            function()
            first = time.perf_counter() - began
    except NotAvailable as error:
        return {"status": "not available", "reason": str(error)}
    except TimedOut as error:
        return {"status": "timed out", "reason": str(error), "queries_before_timeout": queries.count}
    except Exception as error:  # noqa: BLE001 - one failing item must not stop the others
        return {"status": "error", "reason": f"{type(error).__name__}: {error}"}

    # The warm-up may read the database from disk (the virtual machine drops idle pages from
    # memory): it is not timed. The timed runs stop early once they pass the budget.
    times = []
    for _ in range(runs):
        before()
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
        if sum(times) > budget:
            break
    if not times:  # --runs 0: the warm-up is the one run
        times = [first]

    untraced_rss = _max_rss_mib()
    before()
    gc.collect()
    tracemalloc.start()
    try:
        with time_limit(timeout):
            function()
    except TimedOut:
        pass  # the peak so far is a lower bound
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if profiled:
        before()
        profile(item, function)
    median = statistics.median(times)
    result = {
        "status": "ok",
        "median_ms": round(median * 1000, 1),
        "worst_ms": round(max(times) * 1000, 1),
        "first_ms": round(first * 1000, 1),
        "runs": len(times),
        "queries": queries.count,
        "peak_mib": round(peak / 2**20, 1),
        "max_rss_mib": round(untraced_rss, 1),  # the process's peak so far, before tracemalloc's own cost
    }
    if item.rows:
        result["rows_per_second"] = round(item.rows / median)
    if item.target_ms is not None:
        result["target"] = item.target_text
        result["met"] = median * 1000 < item.target_ms and peak < 500 * 2**20
    return result


def _max_rss_mib() -> float:
    """Return the process's peak resident memory so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 2**20


def print_table(measured: list[Item], ratio: float | None) -> None:
    print()
    heading = (
        f"{'item':<34} {'median ms':>10} {'worst ms':>10} {'runs':>5} {'queries':>8} "
        f"{'peak MiB':>9}  {'target':<18} met"
    )
    print(heading)
    print("-" * len(heading))
    for item in measured:
        result = item.result
        if result["status"] != "ok":
            print(f"{item.label:<34} {result['status']}: {result['reason']}")
            continue
        met = "" if "met" not in result else ("yes" if result["met"] else "NO")
        print(
            f"{item.label:<34} {result['median_ms']:>10,.1f} {result['worst_ms']:>10,.1f} "
            f"{result['runs']:>5} {result['queries']:>8} {result['peak_mib']:>9,.1f}  "
            f"{result.get('target', ''):<18} {met}"
        )
    print()
    if ratio is not None:
        print(f"committee summary / hand-written SQL: {ratio:.1f}x (target: no more than 3x)")
    for item in measured:
        if item.rows and item.result.get("status") == "ok":
            print(f"import: {item.rows:,} rows at {item.result['rows_per_second']:,} rows a second")
    print(f"peak resident memory of the whole run: {_max_rss_mib():,.0f} MiB")
