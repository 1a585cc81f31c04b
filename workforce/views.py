"""The establishment page for people (not the admin), and its CSV download."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from access.scoping import EVERYONE, access_for, role_required, scope_for
from foundation import measures
from workforce.caseload_page import caseload_context
from workforce.filters import EstablishmentFilter
from workforce.models import Post
from workforce.selectors import PostTotals, fte, post_totals, posts_on
from workforce.tables import EstablishmentTable, holders


def _filtered_posts(request: HttpRequest) -> tuple[EstablishmentFilter, QuerySet, dt.date]:
    """Return the filter, the posts it selects within the user's teams, and the as-at date."""
    today = timezone.localdate()
    # The probe only reads the date from the query; its queryset is never run.
    probe = EstablishmentFilter(request.GET or None, queryset=Post.objects.none(), request=request)
    as_of = today
    if probe.is_bound and probe.form.is_valid() and probe.form.cleaned_data.get("as_of"):
        as_of = probe.form.cleaned_data["as_of"]
    posts = posts_on(as_of, scope_for(request.user)).order_by("team__name", "role__order", "reference")
    filterset = EstablishmentFilter(request.GET or None, queryset=posts, request=request)
    return filterset, filterset.qs, as_of


def _totals(totals: PostTotals) -> dict[str, Any]:
    """Return E, S, A, V and the rates of the filtered posts, as the page shows them."""
    e, s, a, v = totals.establishment_fte, totals.in_post_fte, totals.agency_fte, totals.vacancy_fte
    return {
        "establishment_fte": measures.format_fte(e),
        "in_post_fte": measures.format_fte(s),
        "agency_fte": measures.format_fte(a),
        "vacancy_fte": measures.format_fte(v),
        "vacancy_rate": measures.format_rate(measures.vacancy_rate(v, s)),
        "agency_rate": measures.format_rate(measures.agency_rate(a, s)),
        "permanent_fill_rate": measures.format_rate(measures.permanent_fill_rate(e, v)),
    }


@role_required(*EVERYONE)
def establishment(request: HttpRequest) -> HttpResponse:
    """Show every post on the as-at date with its vacancy and cover, filtered, with totals."""
    filterset, posts, as_of = _filtered_posts(request)
    filterset.offer_choices()
    totals = post_totals(posts, as_of)
    table = EstablishmentTable(posts, sees_names=access_for(request.user).sees_names, count=totals.posts)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    return render(
        request,
        "workforce/establishment.html",
        {
            "filter": filterset,
            "table": table,
            "as_of": as_of,
            "totals": _totals(totals),
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
        (writer.writerow(row) for row in _csv_rows(posts, as_of, sees_names)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="establishment-{as_of.isoformat()}.csv"'
    return response
