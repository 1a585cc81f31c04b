"""The establishment page for people (not the admin), and its CSV download."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from access.scoping import EVERYONE, access_for, role_required, scope_for
from foundation import measures
from foundation.cells import safe_row
from foundation.dates import typed_date
from foundation.periods import quarter_end_on_or_before
from workforce.caseload_page import caseload_context
from workforce.filters import EstablishmentFilter
from workforce.models import Funding, Post
from workforce.selectors import PostTotals, fte, kept_post_totals, posts_on, workforce_version
from workforce.tables import EstablishmentTable, holders


def _with_default_date(request: HttpRequest) -> tuple[QueryDict, bool]:
    """Return the query with the as-at date filled in (the latest quarter-end, as on the home
    page, when none is given), and whether the date was given."""
    data = request.GET.copy()
    given = bool(data.get("as_of", "").strip())
    if not given:
        data["as_of"] = typed_date(quarter_end_on_or_before(timezone.localdate()))
    return data, given


def _filtered_posts(request: HttpRequest) -> tuple[EstablishmentFilter, QuerySet, dt.date]:
    """Return the filter, the posts it selects within the user's teams, and the as-at date."""
    data, _ = _with_default_date(request)
    # The probe only reads the date from the query; its queryset is never run.
    probe = EstablishmentFilter(data, queryset=Post.objects.none(), request=request)
    as_of = quarter_end_on_or_before(timezone.localdate())
    if probe.form.is_valid() and probe.form.cleaned_data.get("as_of"):
        as_of = probe.form.cleaned_data["as_of"]
    posts = posts_on(as_of, scope_for(request.user)).order_by("team__name", "role__order", "reference")
    filterset = EstablishmentFilter(data, queryset=posts, request=request)
    return filterset, filterset.qs, as_of


def _unnarrowed_posts(request: HttpRequest, filterset: EstablishmentFilter) -> QuerySet:
    """Return the posts the filters choose before "vacant only" and "agency-covered only"."""
    data = filterset.data.copy()
    for name in NARROWING:
        data.pop(name, None)
    return EstablishmentFilter(data, queryset=filterset.queryset, request=request).qs


# Filters on a post's own figures, not on where it is: the filter's name, post_totals' ``only``.
NARROWING = {"vacant_only": "vacant", "agency_only": "agency"}


def _totals(totals: PostTotals, *, rates: bool = True) -> dict[str, Any]:
    """Return E, S, A, V and (unless ``rates`` is off) the rates of the posts, as the page shows them."""
    e, s, a, v = totals.establishment_fte, totals.in_post_fte, totals.agency_fte, totals.vacancy_fte
    shown = {
        "posts": totals.posts,
        "establishment_fte": measures.format_fte(e),
        "in_post_fte": measures.format_fte(s),
        "agency_fte": measures.format_fte(a),
        "vacancy_fte": measures.format_fte(v),
        "vacancy_rate": measures.DASH,
        "agency_rate": measures.DASH,
        "permanent_fill_rate": measures.DASH,
    }
    if rates:
        shown["vacancy_rate"] = measures.format_rate(measures.vacancy_rate(v, s))
        shown["agency_rate"] = measures.format_rate(measures.agency_rate(a, s))
        shown["permanent_fill_rate"] = measures.format_rate(measures.permanent_fill_rate(e, v))
    return shown


def describe_filters(cleaned: dict[str, Any], *, sees_all_teams: bool) -> str:
    """Return what the filters chose, in words, for the page's heading ("Children in Care:
    Social Worker posts, vacant only")."""
    where = "All teams" if sees_all_teams else "The teams you manage"
    if cleaned.get("team"):
        where = cleaned["team"].name
    elif cleaned.get("service_area"):
        where = cleaned["service_area"].name
    what = []
    if cleaned.get("role"):
        what.append(f"{cleaned['role'].name} posts")
    if cleaned.get("case_holding") is not None:
        what.append("case-holding teams" if cleaned["case_holding"] else "teams not holding cases")
    if cleaned.get("funding"):
        what.append(f"{Funding(cleaned['funding']).label.lower()} funding")
    if cleaned.get("vacant_only"):
        what.append("vacant posts only")
    if cleaned.get("agency_only"):
        what.append("posts covered by agency workers only")
    return f"{where}: {', '.join(what)}" if what else where


@role_required(*EVERYONE)
def establishment(request: HttpRequest) -> HttpResponse:
    """Show every post on the as-at date with its vacancy and cover, filtered, with totals."""
    filterset, posts, as_of = _filtered_posts(request)
    _, date_given = _with_default_date(request)
    filterset.offer_choices()
    access = access_for(request.user)
    cleaned = filterset.form.cleaned_data if filterset.form.is_valid() else {}
    only = tuple(kind for name, kind in NARROWING.items() if cleaned.get(name))
    narrowed = bool(only)
    # Narrowed, the totals are worked out over the posts the other filters choose, in the
    # same pass as theirs (post_totals' ``only``), not over the narrowed queryset's subqueries.
    unnarrowed = _unnarrowed_posts(request, filterset) if narrowed else posts
    version = workforce_version()
    totals = kept_post_totals(unnarrowed, as_of, only=only, version=version)
    table = EstablishmentTable(posts, sees_names=access.sees_names, count=totals.posts)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    if not query.get("as_of"):
        query["as_of"] = as_of.isoformat()
    today = timezone.localdate()
    today_query = query.copy()
    today_query["as_of"] = typed_date(today)
    return render(
        request,
        "workforce/establishment.html",
        {
            "filter": filterset,
            "table": table,
            "as_of": as_of,
            "date_given": date_given,
            "today": today,
            "today_url": f"?{today_query.urlencode()}",
            "described": describe_filters(cleaned, sees_all_teams=access.sees_all_teams),
            "narrowed": narrowed,
            # Rates over only the vacant (or agency-covered) posts mean nothing: those are
            # shown for every post the other filters choose, on a row of their own.
            "totals": _totals(totals, rates=not narrowed),
            "whole_totals": (
                _totals(kept_post_totals(unnarrowed, as_of, version=version)) if narrowed else None
            ),
            "download_query": query.urlencode(),
            **caseload_context(
                scope=scope_for(request.user),
                filters=filterset.form.cleaned_data if filterset.form.is_valid() else {},
                as_of=as_of,
                posts=totals.posts,
            ),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_HEADER = [
    "as_at",
    "post",
    "team",
    "service_area",
    "role",
    "funding",
    "post_fte",
    "employee_fte",
    "vacancy_fte",
    "agency_fte",
    "held_by",
]


def _csv_rows(posts: QuerySet, as_of: dt.date, sees_names: bool) -> Any:
    yield CSV_HEADER
    for post in posts.iterator(chunk_size=2000):
        yield [
            as_of.isoformat(),
            post.reference,
            post.team.name,
            post.team.service_area.name,
            post.role.name,
            post.funding,
            _plain(post.fte),
            _plain(post.employee_fte),
            _plain(post.vacancy_fte),
            _plain(post.agency_fte),
            "; ".join(f"{who} ({how})" for who, how in holders(post, sees_names=sees_names)),
        ]


def _plain(value: Decimal) -> str:
    return f"{fte(value).normalize():f}"


@role_required(*EVERYONE)
def establishment_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Download exactly the filtered establishment as CSV."""
    filterset, posts, as_of = _filtered_posts(request)
    writer = csv.writer(_Echo())
    sees_names = access_for(request.user).sees_names
    response = StreamingHttpResponse(
        (writer.writerow(safe_row(row)) for row in _csv_rows(posts, as_of, sees_names)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="establishment-{as_of.isoformat()}.csv"'
    return response
