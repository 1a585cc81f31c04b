"""After the load test: wait for the background work to end, check that no job was lost, and
write the summary (benchmarks/load/run.sh runs this once locust has stopped).

A job counts as lost if it never reached "done" or "failed" within ``--wait`` seconds of
the end of the run, or if it did but its owner was not told: the job's page says how it
ended in any case; here the email too must have gone (``Job.notified_at`` and the log of
emails sent). Prints a table of the requests by page group (count, failures, median, p95,
p99 in ms), the jobs, and the verdict, and writes it all to ``--out`` as JSON.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("dashboard", "establishment (filtered)", "leavers", "report preview", "job page")
PAGE_P95_MS = 500


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()


def _number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def read_stats(prefix: str) -> list[dict[str, Any]]:
    """Return locust's table of requests (``PREFIX_stats.csv``), one dict per request group."""
    rows = []
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "type": row["Type"],
                    "name": row["Name"],
                    "count": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "median_ms": _number(row["50%"]),
                    "p95_ms": _number(row["95%"]),
                    "p99_ms": _number(row["99%"]),
                    "max_ms": _number(row["Max Response Time"]),
                    "per_second": _number(row["Requests/s"]),
                }
            )
    return rows


def read_failures(prefix: str) -> list[dict[str, str]]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _percentile(values: list[float], share: float) -> float:
    """Return the ``share`` percentile of ``values`` (nearest rank, as locust counts them)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))]


def read_requests(path: Path, *, started: float) -> list[tuple[float, str, float, bool]]:
    """Return the locustfile's log of every request: (seconds into the run, group, ms, failed)."""
    requests = []
    with path.open() as handle:
        for line in handle:
            at, rest = line.rstrip("\n").split(",", 1)
            name, milliseconds, failed = rest.rsplit(",", 2)
            requests.append((float(at) - started, name, float(milliseconds), failed == "1"))
    return requests


def timed_stats(requests: list[tuple[float, str, float, bool]]) -> list[dict[str, Any]]:
    """Return count, failures, median, p95 and p99 (ms, unrounded) by request group."""
    groups: dict[str, list[tuple[float, bool]]] = {}
    for _, name, milliseconds, failed in requests:
        groups.setdefault(name, []).append((milliseconds, failed))
    rows = []
    for name, timed in sorted(groups.items()):
        times = [milliseconds for milliseconds, _ in timed]
        rows.append(
            {
                "name": name,
                "count": len(timed),
                "failures": sum(failed for _, failed in timed),
                "median_ms": round(_percentile(times, 0.5)),
                "p95_ms": round(_percentile(times, 0.95)),
                "p99_ms": round(_percentile(times, 0.99)),
            }
        )
    return rows


def parts_of_the_run(
    requests: list[tuple[float, str, float, bool]], events: list[dict[str, Any]], *, warm_up: float
) -> dict[str, Any]:
    """Return the requests' table for each part of the run: the cold start (the first
    ``warm_up`` seconds: sign-ins, the first build of each dashboard), the 15 s after the
    web workers' reload, and the rest; and the pages' p95 every 15 s."""
    reloads = [event["at_seconds"] for event in events if event["what"].startswith("web workers restarted")]

    def reloading(at: float) -> bool:
        return any(0 <= at - reload < 15 for reload in reloads)

    timeline: dict[int, list[float]] = {}
    for at, name, milliseconds, _ in requests:
        if name in PAGES:
            timeline.setdefault(int(at // 15) * 15, []).append(milliseconds)
    return {
        "cold_start": {
            "seconds": [0, warm_up],
            "requests": timed_stats([r for r in requests if r[0] < warm_up]),
        },
        "web_reload": {
            "seconds": [[reload, reload + 15] for reload in reloads],
            "requests": timed_stats([r for r in requests if r[0] >= warm_up and reloading(r[0])]),
        },
        "rest": {"requests": timed_stats([r for r in requests if r[0] >= warm_up and not reloading(r[0])])},
        "pages_every_15_s": {
            str(start): {
                "count": len(times),
                "median_ms": round(_percentile(times, 0.5)),
                "p95_ms": round(_percentile(times, 0.95)),
            }
            for start, times in sorted(timeline.items())
        },
    }


def _owners_told(jobs: list[Any]) -> set[str]:
    from notices.models import SentEmail

    keys = {f"job:{job.pk}": job for job in jobs}
    sent = SentEmail.objects.filter(key__in=list(keys)).values_list("key", "recipient_id")
    return {key.removeprefix("job:") for key, recipient in sent if keys[key].owner_id == recipient}


def check_jobs(*, since: dt.datetime, prefix: str, wait: float) -> dict[str, Any]:
    """Wait up to ``wait`` seconds for the load users' jobs started since ``since`` to end and
    their owners to be emailed; return what became of them."""
    from jobs.models import Job, JobStatus

    deadline = time.monotonic() + wait
    while True:
        jobs = list(Job.objects.filter(created_at__gte=since, owner__username__startswith=prefix))
        told = _owners_told(jobs)
        pending = [job for job in jobs if not job.finished or str(job.pk) not in told]
        if not pending or time.monotonic() > deadline:
            break
        time.sleep(2)
    waited = wait - max(0.0, deadline - time.monotonic())
    by_kind: dict[str, Counter] = {}
    interrupted: list[dict[str, str]] = []
    lost: list[dict[str, str]] = []
    for job in jobs:
        counts = by_kind.setdefault(job.kind, Counter())
        counts["started"] += 1
        counts[job.status] += 1
        if str(job.pk) in told:
            counts["owner emailed"] += 1
        if job.status == JobStatus.FAILED:
            interrupted.append(
                {"job": str(job.pk), "kind": job.kind, "title": job.title, "message": job.error}
            )
        if not job.finished or str(job.pk) not in told:
            lost.append(
                {
                    "job": str(job.pk),
                    "kind": job.kind,
                    "status": job.status,
                    "emailed": str(str(job.pk) in told),
                    "worker": job.worker,
                }
            )
    return {
        "by_kind": {kind: dict(counts) for kind, counts in by_kind.items()},
        "failed_with_message": interrupted,
        "lost": lost,
        "waited_seconds": round(waited, 1),
    }


def machine() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select version()")
        database = cursor.fetchone()[0]
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "database": database.split(" on ")[0],
        "platform": platform.platform(),
    }


def verdict(
    stats: list[dict[str, Any]], jobs: dict[str, Any], timed: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Return each criterion of the load test and whether it was met.

    The pages' p95 is taken from ``timed`` (``timed_stats`` of the log of every request,
    to the millisecond) when there is one: locust's own table rounds it to two figures, so
    that 498 ms reads as 500."""
    http = [row for row in stats if row["type"] not in {"JOB", ""} and row["name"] != "Aggregated"]
    errors = sum(row["failures"] for row in stats if row["name"] != "Aggregated")
    slow = {
        row["name"]: row["p95_ms"]
        for row in (timed if timed else http)
        if row["name"] in PAGES and (row["p95_ms"] or 0) >= PAGE_P95_MS
    }
    exports = jobs["by_kind"].get("export", {})
    return {
        "no_errors": {"met": errors == 0, "failures": errors},
        "page_p95_under_500_ms": {"met": not slow, "slower": slow},
        "every_export_finished": {
            "met": exports.get("started", 0) == exports.get("done", 0),
            "started": exports.get("started", 0),
            "done": exports.get("done", 0),
            "failed_with_message": exports.get("failed", 0),
        },
        "no_job_lost_without_message": {"met": not jobs["lost"], "lost": len(jobs["lost"])},
    }


def print_summary(summary: dict[str, Any]) -> None:
    print()
    print(f"{'request group':<38} {'count':>6} {'fail':>5} {'median':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    for row in summary["requests"]:
        if row["type"] == "JOB":
            continue
        cells = [row[key] for key in ("median_ms", "p95_ms", "p99_ms", "max_ms")]
        shown = " ".join(f"{value:>7.0f}" if value is not None else f"{'-':>7}" for value in cells)
        print(f"{row['name'][:38]:<38} {row['count']:>6} {row['failures']:>5} {shown}")
    print()
    for kind, counts in summary["jobs"]["by_kind"].items():
        print(f"{kind} jobs: " + ", ".join(f"{key} {value}" for key, value in sorted(counts.items())))
    for failed in summary["jobs"]["failed_with_message"]:
        print(f"  did not finish, owner told: {failed['title']}: {failed['message']}")
    for lost in summary["jobs"]["lost"]:
        print(f"  LOST: {lost}")
    for event in summary["events"]:
        print(f"  at {event['at_seconds']:>5.0f} s: {event['what']}")
    parts = summary.get("parts")
    if parts:
        titles = {
            "cold_start": "the cold start (first sign-ins, each dashboard's first build)",
            "web_reload": "the 15 s after the web workers' reload",
            "rest": "the rest of the run",
        }
        for key, title in titles.items():
            print(f"\n{title}:")
            for row in parts[key]["requests"]:
                if row["name"] in PAGES:
                    print(
                        f"{row['name'][:38]:<38} {row['count']:>6} {row['failures']:>5} "
                        f"{row['median_ms']:>7} {row['p95_ms']:>7} {row['p99_ms']:>7}"
                    )
        print("\npages every 15 s (start: count, median, p95):")
        for start, row in parts["pages_every_15_s"].items():
            print(f"  {start:>4} s: {row['count']:>4} {row['median_ms']:>6} {row['p95_ms']:>6}")
    print()
    for name, result in summary["verdict"].items():
        details = {key: value for key, value in result.items() if key != "met"}
        print(f"{'met ' if result['met'] else 'MISSED'} {name} {details}")


def read_events(path: Path, started: float) -> list[dict[str, Any]]:
    events = []
    if path.exists():
        for line in path.read_text().splitlines():
            at, _, what = line.partition("\t")
            events.append({"at_seconds": round(float(at) - started, 1), "what": what})
    return events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--since", type=float, required=True, help="the run's start, seconds since the epoch")
    parser.add_argument("--stats", required=True, help="locust's --csv prefix")
    parser.add_argument("--events", type=Path, required=True, help="the restarts' log (time<TAB>what)")
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--wait", type=float, default=300, help="seconds to wait for jobs to end")
    parser.add_argument("--setup", default="", help="how the run was set up, in words (kept in the JSON)")
    parser.add_argument("--requests", type=Path, help="the locustfile's log of every request")
    parser.add_argument("--warm-up", type=float, default=45, help="seconds of cold start")
    args = parser.parse_args()
    _setup()
    from django.utils import timezone

    since = dt.datetime.fromtimestamp(args.since, tz=dt.UTC).astimezone(timezone.get_current_timezone())
    plan = json.loads(args.plan.read_text())
    jobs = check_jobs(since=since, prefix="load-", wait=args.wait)
    stats = read_stats(args.stats)
    summary = {
        "at": timezone.now().isoformat(timespec="seconds"),
        "posts": plan["posts"],
        "setup": args.setup,
        "machine": machine(),
        "requests": stats,
        "failures": read_failures(args.stats),
        "jobs": jobs,
        "events": read_events(args.events, args.since),
    }
    timed = None
    if args.requests and args.requests.exists():
        requests = read_requests(args.requests, started=args.since)
        timed = timed_stats(requests)
        summary["timed"] = timed
        summary["parts"] = parts_of_the_run(requests, summary["events"], warm_up=args.warm_up)
    summary["verdict"] = verdict(stats, jobs, timed)
    args.out.write_text(json.dumps(summary, indent=2, default=str))
    print_summary(summary)
    print(f"\nWritten {args.out}")
    sys.exit(0 if all(result["met"] for result in summary["verdict"].values()) else 1)


if __name__ == "__main__":
    main()
