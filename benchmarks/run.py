#!/usr/bin/env python
"""Measure the product at scale, and print one table of figures (written as JSON too).

    .venv/bin/python benchmarks/run.py --posts 300            # a throwaway SQLite database
    .venv/bin/python benchmarks/run.py --posts 40000 --reuse  # keep and reuse the generated one
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/run.py --posts 4000

Without ``--database-url`` (or ``DATABASE_URL``) it generates ``--posts`` posts with
``--years`` of history (``manage.py generate_scale``) into
``benchmarks/results/scale-<posts>p-<years>y-<seed>.sqlite3``, deleted first unless
``--reuse``. A database given by URL is migrated and generated into when it holds no
posts; one that holds posts is measured as it is only with ``--reuse``.

Each item runs once to warm up (counting its queries; untimed, as it may read the
database from disk), then up to ``--runs`` times (stopping once they pass ``--budget``
seconds) for the median and worst, then once more
under ``tracemalloc`` for its peak Python memory. Items whose code is not there are
"not available"; an item that fails is reported as an error and the rest still run.
See benchmarks/README.md and docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_SEED = 20260922  # as scale.generate.DEFAULT_SEED (Django is not set up yet)

sys.path.insert(0, str(ROOT))  # run as a script: the project's packages, benchmarks included
from benchmarks.measuring import (  # noqa: E402
    Item,
    NotAvailable,
    _max_rss_mib,
    measure,
    print_table,
)

# --- set-up ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=300, help="Posts to generate (default 300).")
    parser.add_argument("--years", type=int, default=5, help="Years of history (default 5).")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="The generator's seed.")
    parser.add_argument("--database-url", help="Measure this database instead of a throwaway SQLite file.")
    parser.add_argument("--reuse", action="store_true", help="Reuse a database generated before.")
    parser.add_argument("--runs", type=int, default=5, help="Timed runs per item after the warm-up (5).")
    parser.add_argument(
        "--budget",
        type=float,
        default=60.0,
        help="Seconds of timed runs per item before stopping early (60).",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        help="Give up an item after one run of this many seconds (300).",
    )
    parser.add_argument(
        "--import-rows", type=int, default=10_000, help="Rows in the import extract (10,000)."
    )
    parser.add_argument("--only", help="Comma-separated item keys to run (default: all).")
    parser.add_argument("--results", default=str(RESULTS), help="Folder for the JSON (benchmarks/results).")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="After measuring each item, run it once more and print its slowest queries and functions.",
    )
    return parser.parse_args(argv)


def configure(args: argparse.Namespace) -> str:
    """Point Django at the database to measure and set it up; return a description of it."""
    url = args.database_url or os.environ.get("DATABASE_URL")
    described = url or ""
    if not url:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"scale-{args.posts}p-{args.years}y-{args.seed}.sqlite3"
        if not args.reuse:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        described = f"{path} (throwaway SQLite)"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import logging
    import warnings

    import django

    django.setup()
    # WeasyPrint turns fontTools' logging up to DEBUG while it subsets the PDF's fonts.
    logging.getLogger("fontTools").propagate = False
    # ... and logs every SVG property of the charts it ignores and every duplicate chart id
    # (about 430 lines a PDF; see docs/performance.md): keep the table readable.
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
    return described


def prepare_database(args: argparse.Namespace) -> dict[str, Any]:
    """Migrate, and generate the workforce if the database holds none; return what was done."""
    from django.core.management import call_command
    from django.utils import timezone

    from scale.generate import generate
    from workforce.models import Post

    call_command("migrate", verbosity=0, interactive=False)
    existing = Post.objects.count()
    if existing:
        if not args.reuse:
            raise SystemExit(
                f"The database already holds {existing:,} posts. Pass --reuse to measure it as it is, or "
                "point --database-url at an empty database."
            )
        print(f"Reusing the {existing:,} posts already in the database.")
        keep_establishment_changes()
        return {"generated": False, "posts": existing}
    print(f"Generating {args.posts:,} posts with {args.years} years of history ...", flush=True)
    result = generate(
        posts=args.posts,
        years=args.years,
        seed=args.seed,
        today=timezone.localdate(),
        out=lambda line: print(line, flush=True),
    )
    print(f"Generated {result.total_rows:,} rows in {result.seconds:.1f} s.")
    # generate() has ANALYZEd the tables on PostgreSQL (scale.writer.analyse_after_bulk_load).
    return {
        "generated": True,
        "posts": result.posts,
        "seconds": round(result.seconds, 1),
        "rows": result.rows,
    }


def keep_establishment_changes() -> None:
    """Rebuild the establishment's changes by day if they are out of date (a database
    migrated to them, or written behind the signals), as the first read would in the
    background; the summary is measured with them up to date."""
    from workforce import timeline

    if not timeline.up_to_date():
        began = time.perf_counter()
        timeline.rebuild()
        print(f"Kept the establishment's changes by day in {time.perf_counter() - began:.1f} s.")


def hr_client() -> Any:
    """Return a test client signed in as an HR user who may use the admin."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="benchmark-hr", defaults={"is_staff": True, "first_name": "Bench", "last_name": "Mark"}
    )
    user.groups.add(Group.objects.get(name="hr"))
    client = Client()
    client.force_login(user)
    return client


# --- the hand-written SQL --------------------------------------------------------------------------


def headline_sql() -> str:
    """Return the smallest SQL giving S, A, V and leavers FTE (L) for one date, in scope roles only.

    Parameters, in order: the date twelve times (four each for S, A and V), then the
    start and end of the 12 months for L.
    """
    from django.db import connection

    from leavers.models import Leaver
    from workforce.models import Assignment, Post, Role

    q = connection.ops.quote_name
    a, p, r, lv = (q(m._meta.db_table) for m in (Assignment, Post, Role, Leaver))
    end = q("end")
    active = f"x.start <= %s AND (x.{end} IS NULL OR x.{end} >= %s)"
    post_active = "p.active_from <= %s AND (p.active_to IS NULL OR p.active_to >= %s)"
    employees = "x.contract IN ('permanent', 'fixed_term')"
    return f"""
    SELECT
      (SELECT COALESCE(SUM(x.fte), 0) FROM {a} x JOIN {p} p ON p.id = x.post_id JOIN {r} r ON r.id = p.role_id
        WHERE r.in_scope AND {employees} AND {active} AND {post_active}) AS s,
      (SELECT COALESCE(SUM(x.fte), 0) FROM {a} x JOIN {p} p ON p.id = x.post_id JOIN {r} r ON r.id = p.role_id
        WHERE r.in_scope AND x.contract = 'agency' AND {active} AND {post_active}) AS a,
      (SELECT COALESCE(SUM(CASE WHEN p.fte - COALESCE(e.fte, 0) > 0
                                THEN p.fte - COALESCE(e.fte, 0) ELSE 0 END), 0)
         FROM {p} p JOIN {r} r ON r.id = p.role_id
         LEFT JOIN (SELECT x.post_id, SUM(x.fte) AS fte FROM {a} x WHERE {employees} AND {active}
                    GROUP BY x.post_id) e ON e.post_id = p.id
        WHERE r.in_scope AND p.funding = 'establishment' AND {post_active}) AS v,
      (SELECT COALESCE(SUM(l.fte_at_leaving), 0) FROM {lv} l JOIN {r} r ON r.id = l.role_id
        WHERE r.in_scope AND l.leaving_date >= %s AND l.leaving_date <= %s) AS l
    """


def headline_figures(days: tuple[dt.date, ...]) -> dict[dt.date, tuple]:
    """Return {date: (S, A, V, L)} by the hand-written SQL, one statement per date."""
    from django.db import connection

    from foundation.periods import twelve_months_to
    from workforce.selectors import fte

    sql = headline_sql()
    figures = {}
    with connection.cursor() as cursor:
        for day in days:
            cursor.execute(sql, [day] * 12 + [twelve_months_to(day)[0], day])
            figures[day] = tuple(fte(value) for value in cursor.fetchone())
    return figures


# --- the items -------------------------------------------------------------------------------------


def report_dates() -> tuple[dt.date, list[dt.date]]:
    """Return the as-at date of a committee report run today (the last month-end) and its
    default comparison dates."""
    from django.utils import timezone

    from foundation.periods import default_comparison_dates

    as_of = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return as_of, default_comparison_dates(as_of)


def summary_builder() -> Callable[[], Any]:
    try:
        from reporting.summary import build_committee_summary
    except ImportError as error:
        raise NotAvailable(f"reporting.summary.build_committee_summary: {error}") from None
    as_of, dates = report_dates()
    return lambda: build_committee_summary(as_of=as_of, comparison_dates=dates)


def summary_from_records() -> Callable[[], Any]:
    """Return the summary built with the establishment worked out from the records, as when
    the kept changes are out of date (the first summary after the import, say)."""
    from unittest import mock

    build = summary_builder()

    def run() -> Any:
        with mock.patch("workforce.timeline.figures_on", return_value=None):
            return build()

    return run


def prepare_rebuild() -> Callable[[], Any]:
    from workforce import timeline

    return timeline.rebuild


def assignment_saved() -> Callable[[], Any]:
    """Return an edit of an assignment saved through the service, as the admin saves it:
    the rules checked, the history written and the establishment's changes kept. Rolled
    back after each run."""
    from django.db import transaction

    from workforce import services, timeline
    from workforce.models import Assignment

    pk = Assignment.objects.filter(end__isnull=True).order_by("pk").values_list("pk", flat=True).first()

    def run() -> None:
        with transaction.atomic():
            assignment = Assignment.objects.get(pk=pk)
            assignment.end = assignment.start + dt.timedelta(days=400)
            services.save_assignment(assignment=assignment)
            if not timeline.up_to_date():
                raise RuntimeError("the establishment's changes were not kept by the write")
            transaction.set_rollback(True)

    return run


def prepare_sql() -> Callable[[], Any]:
    from foundation.periods import twelve_months_to
    from leavers.selectors import leavers_fte
    from workforce.selectors import establishment_on

    as_of, dates = report_dates()
    days = tuple(sorted({*dates, as_of}))
    by_sql = headline_figures(days)
    for day in days:  # the SQL must give the product's own figures, or the ratio means nothing
        total = establishment_on(day).total
        mine = (total.in_post_fte, total.agency_fte, total.vacancy_fte)
        mine += (leavers_fte(start=twelve_months_to(day)[0], end=day),)
        if mine != by_sql[day]:
            raise RuntimeError(f"the hand-written SQL gives {by_sql[day]} on {day}, the product {mine}")
    return lambda: headline_figures(days)


def exporter(identifier: str) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        build = summary_builder()
        try:
            from reporting.exporters import EXPORTERS
        except ImportError as error:
            raise NotAvailable(f"reporting.exporters: {error}") from None
        if identifier not in EXPORTERS:
            raise NotAvailable(f"no '{identifier}' exporter in reporting.exporters.EXPORTERS")
        render = EXPORTERS[identifier].render
        return lambda: render(build())

    return prepare


def page(client: Any, path: str, *, cold: bool = False) -> Callable[[], Callable[[], Any]]:
    """Return the preparation of a GET of ``path``; ``cold``: with Django's cache emptied
    first, as the first request after a restart finds it."""

    def prepare() -> Callable[[], Any]:
        from django.core.cache import cache

        def get() -> Any:
            if cold:
                cache.clear()
            response = client.get(path)
            if response.status_code == 404:
                raise NotAvailable(f"{path} answers 404")
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            return response

        return get

    return prepare


def home_after_a_change(client: Any) -> Callable[[], Callable[[], Any]]:
    """Return the preparation of a GET of the dashboard just after a record changed.

    Before each run, untimed: run the rebuild the previous run queued (as the task worker
    would), then save a post unchanged (a new history row, so a new version of the records).
    The page then shows the figures kept, marked as being updated, and queues a rebuild.
    """

    def prepare() -> Callable[[], Any]:
        from django.conf import settings
        from django.core.management import call_command
        from django.db import transaction
        from django.test.utils import override_settings

        from workforce.models import Post

        # As in production, whatever the settings: tasks wait for the worker (the tests'
        # settings run them as they are queued, and keep the production queue as QUEUE_TASKS).
        production_queue = getattr(settings, "QUEUE_TASKS", settings.TASKS)
        get = page(client, "/")()
        get()  # the figures are kept

        def change() -> None:
            with override_settings(TASKS=production_queue):
                call_command("run_worker", batch=True, verbosity=0)
            with transaction.atomic():  # as the admin saves it
                Post.objects.order_by("pk").first().save()

        def get_after_change() -> Any:
            with override_settings(TASKS=production_queue):
                response = get()
            if "Records have changed since these figures" not in response.content.decode():
                raise RuntimeError("the dashboard did not show the figures kept after a change")
            return response

        get_after_change.before = change  # type: ignore[attr-defined]
        return get_after_change

    return prepare


def prepare_census() -> Callable[[], Any]:
    import io

    from django.core.management import call_command
    from django.utils import timezone

    today = timezone.localdate()
    year = today.year if today >= dt.date(today.year, 9, 30) else today.year - 1
    output = Path(tempfile.gettempdir()) / f"benchmark-census-{os.getpid()}.xml"

    def run() -> None:
        call_command(
            "census_return",
            year=year,
            la_code="886",
            output=str(output),
            allow_incomplete=True,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )

    return run


def import_extract(rows: int) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        from django.db import transaction
        from django.utils import timezone

        from dataio.importing.engine import Source, run_import
        from scale.extract import extract_files
        from workforce.models import Post, Team

        teams = list(Team.objects.order_by("pk").values_list("name", flat=True)[:200])
        files = extract_files(rows=rows, teams=teams, today=timezone.localdate())
        sources = [Source(name=name, content=content) for name, content in files.items()]
        posts_before = Post.objects.count()

        def run() -> Any:
            with transaction.atomic():
                report = run_import(sources)
                if not report.ok:
                    raise RuntimeError(f"the extract was refused: {report.summary()}")
                transaction.set_rollback(True)  # every run starts from the same records
            if Post.objects.count() != posts_before:
                raise RuntimeError("the import was not rolled back")
            return report

        return run

    return prepare


def items(args: argparse.Namespace) -> list[Item]:
    from benchmarks import (
        caseloads,  # Django is set up and the root on the path by now
        planning,
    )
    from benchmarks.agency import prepare_agency_return
    from benchmarks.import_bomb import prepare_bomb

    client = hr_client()
    pages = 300.0
    return [
        Item("summary", "committee summary", summary_builder, 1000, "< 1 s, <= 3x SQL"),
        Item("sql", "hand-written SQL: S, A, V, L", prepare_sql),
        Item("summary_records", "summary, establishment from records", summary_from_records),
        Item("rebuild", "establishment changes rebuilt", prepare_rebuild),
        Item("write_assignment", "an assignment saved (changes kept)", assignment_saved),
        Item("export_pdf", "export PDF (summary + render)", exporter("pdf"), 5000, "< 5 s"),
        Item("export_docx", "export DOCX (summary + render)", exporter("docx"), 2000, "< 2 s"),
        Item("export_xlsx", "export XLSX (summary + render)", exporter("xlsx"), 2000, "< 2 s"),
        Item("export_json", "export JSON (summary + render)", exporter("json"), 2000, "< 2 s"),
        Item("page_home", "page / (dashboard)", page(client, "/"), pages, "< 300 ms"),
        Item("page_home_changed", "page / after a change", home_after_a_change(client), pages, "< 300 ms"),
        Item("page_home_cold", "page / nothing kept (a restart)", page(client, "/", cold=True)),
        Item(
            "page_establishment", "page /establishment/", page(client, "/establishment/"), pages, "< 300 ms"
        ),
        Item(
            "page_establishment_cold",
            "page /establishment/ nothing kept (after a change)",
            page(client, "/establishment/", cold=True),
        ),
        Item("page_leavers", "page /leavers/", page(client, "/leavers/"), pages, "< 300 ms"),
        Item("page_recruitment", "page /recruitment/", page(client, "/recruitment/"), pages, "< 300 ms"),
        Item("admin_posts", "admin posts", page(client, "/admin/workforce/post/"), pages, "< 300 ms"),
        Item(
            "admin_assignments",
            "admin assignments",
            page(client, "/admin/workforce/assignment/"),
            pages,
            "< 300 ms",
        ),
        Item(
            "admin_applications",
            "admin applications",
            page(client, "/admin/recruitment/application/"),
            pages,
            "< 300 ms",
        ),
        *(
            Item(f"admin_{name}", f"admin {name.replace('_', ' ')}", page(client, path), pages, "< 300 ms")
            for name, path in (
                ("workers", "/admin/workforce/worker/"),
                ("absences", "/admin/workforce/absence/"),
                ("teams", "/admin/workforce/team/"),
                ("campaigns", "/admin/recruitment/campaign/"),
                ("leavers", "/admin/leavers/leaver/"),
                ("exit_conversations", "/admin/leavers/exitconversation/"),
            )
        ),
        Item("caseloads", "caseload summary on a date", caseloads.caseload_summary, 300, "< 300 ms"),
        Item("caseload_section", "report's caseloads section (all dates)", caseloads.caseload_section),
        Item("forecast", "forecast, whole council, 8 quarters", planning.forecast, 2000, "< 2 s"),
        Item("rate_movement", "why the rates moved (2 quarter-ends)", planning.rate_movement),
        Item("backtest", "forecast backtest (8 quarter-ends)", planning.backtest),
        Item("page_planning", "page /planning/", page(client, "/planning/")),
        Item("census", "census return (XML, validated)", prepare_census),
        Item("page_agency", "page /agency/", page(client, "/agency/"), pages, "< 300 ms"),
        Item("page_agency_spend", "page /agency/spend/", page(client, "/agency/spend/"), pages, "< 300 ms"),
        Item(
            "page_agency_spend_cold",
            "page /agency/spend/ nothing kept (after a change)",
            page(client, "/agency/spend/", cold=True),
        ),
        Item("agency_return", "agency return (CSV)", prepare_agency_return, 5000, "< 5 s"),
        Item(
            "import",
            f"import {args.import_rows:,}-row extract",
            import_extract(args.import_rows),
            args.import_rows / 5,  # 5,000 rows a second
            ">= 5,000 rows/s",
            rows=args.import_rows,
        ),
        Item("import_bomb", "XLSX bomb refused (3,000,000 rows)", prepare_bomb, 2000, "< 2 s, < 200 MB"),
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database = configure(args)
    began = time.perf_counter()
    generation = prepare_database(args)

    import django
    from django.db import connection

    from workforce.models import Assignment, Post, Worker

    wanted = set(args.only.split(",")) if args.only else None
    measured = []
    for item in items(args):
        if wanted is not None and item.key not in wanted:
            continue
        print(f"measuring {item.label} ...", flush=True)
        item.result = measure(
            item, runs=args.runs, budget=args.budget, timeout=args.timeout, profiled=args.profile
        )
        measured.append(item)

    by_key = {item.key: item.result for item in measured}
    ratio = None
    if by_key.get("summary", {}).get("status") == "ok" and by_key.get("sql", {}).get("status") == "ok":
        ratio = by_key["summary"]["median_ms"] / max(by_key["sql"]["median_ms"], 0.001)
        by_key["summary"]["sql_ratio"] = round(ratio, 1)
        by_key["summary"]["met"] = bool(by_key["summary"].get("met")) and ratio <= 3
    print_table(measured, ratio)

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    output = Path(args.results) / f"{stamp}-{Post.objects.count()}p-{connection.vendor}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "database": {"vendor": connection.vendor, "where": database},
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "django": django.get_version(),
            "cpus": os.cpu_count(),
        },
        "arguments": {key: value for key, value in vars(args).items() if key != "database_url"},
        "generation": generation,
        "records": {
            "posts": Post.objects.count(),
            "workers": Worker.objects.count(),
            "assignments": Assignment.objects.count(),
        },
        "items": {item.key: {"label": item.label, **item.result} for item in measured},
        "summary_sql_ratio": None if ratio is None else round(ratio, 1),
        "max_rss_mib": round(_max_rss_mib(), 1),
        "seconds": round(time.perf_counter() - began, 1),
    }
    output.write_text(json.dumps(record, indent=2, default=str))
    print(f"wrote {output}")
    failed = [item.key for item in measured if item.result["status"] == "error"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
