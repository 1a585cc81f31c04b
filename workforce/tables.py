"""The establishment table."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django_tables2.data import TableQuerysetData

from foundation.measures import format_fte
from workforce.models import OrgRole, Post


def holders(post: Post, *, sees_names: bool) -> list[tuple[str, str]]:
    """Return (who, how) for each assignment active on the as-at date, names only if allowed,
    with the holder's cases then (``posts_on``'s ``cases``; "caseload not known" for someone in a
    case-holding post without a recent caseload)."""
    rows = []
    for assignment in getattr(post, "current_assignments", []):
        who = assignment.worker.full_name if sees_names else "(name withheld)"
        how = assignment.get_contract_display()
        if assignment.agency_reason:
            how += f": {assignment.get_agency_reason_display().lower()}"
        how += f", {format_fte(assignment.fte)} FTE"
        cases = getattr(assignment, "cases", None)
        if cases is not None:
            how += f", {cases} case{'' if cases == 1 else 's'}"
        elif post.role.org_role == OrgRole.CASE_HOLDER and post.team.case_holding and post.role.in_scope:
            how += ", caseload not known"
        rows.append((who, how))
    return rows


class QuickDateColumn(tables.Column):
    """A date column written as django-tables2's ``DateColumn`` writes it (``format`` as the
    ``date`` filter reads it; empty dates shown as the table's default), without compiling
    a template for every cell."""

    def __init__(self, *args: Any, format: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.format = format

    def render(self, value: Any) -> str:
        return date_format(value, self.format)


class FteColumn(tables.Column):
    def render(self, value: Any) -> str:
        return format_fte(value)


class PageFirstData(TableQuerysetData):
    """A queryset's table data that takes a page's primary keys before loading its rows.

    Sorting a page out of every post would otherwise work out each post's annotations
    (its figures on the as-at date) before the sort; here the sort reads only what it
    orders by, and the figures are worked out for the rows shown (one more query). With
    ``count`` (known from another query) the pages are numbered without counting again.
    """

    def __init__(self, data: QuerySet, count: int | None = None) -> None:
        super().__init__(data)
        self._length = count

    def __getitem__(self, key: Any) -> Any:
        if not isinstance(key, slice):
            return super().__getitem__(key)
        keys = list(self.data.prefetch_related(None).values_list("pk", flat=True)[key])
        rows = {row.pk: row for row in self.data.order_by().filter(pk__in=keys)}
        return [rows[pk] for pk in keys]


class EstablishmentTable(tables.Table):
    region_label = "Posts"
    reference = tables.Column(verbose_name="Post")
    team = tables.Column(accessor="team__name", verbose_name="Team", order_by=("team__name",))
    service_area = tables.Column(
        accessor="team__service_area__name",
        verbose_name="Service area",
        order_by=("team__service_area__name",),
    )
    role = tables.Column(accessor="role__name", verbose_name="Role", order_by=("role__order",))
    funding = tables.Column(verbose_name="Funding")
    fte = FteColumn(verbose_name="Post FTE", attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    employee_fte = FteColumn(
        verbose_name="Employees FTE", attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    vacancy_fte = FteColumn(
        verbose_name="Vacancy FTE", attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    agency_fte = FteColumn(verbose_name="Agency FTE", attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    holders = tables.Column(empty_values=(), orderable=False, verbose_name="Held by")

    class Meta:
        model = Post
        fields = (
            "reference",
            "team",
            "service_area",
            "role",
            "funding",
            "fte",
            "employee_fte",
            "vacancy_fte",
            "agency_fte",
            "holders",
        )
        row_attrs = {"class": lambda record: "vacant" if record.vacancy_fte > 0 else ""}

    def __init__(
        self,
        data: QuerySet[Post],
        *args: Any,
        sees_names: bool = True,
        count: int | None = None,
        **kwargs: Any,
    ) -> None:
        """``count``: how many posts ``data`` holds, if already known."""
        self.sees_names = sees_names
        super().__init__(PageFirstData(data, count), *args, **kwargs)

    def render_holders(self, record: Post) -> str:
        rows = holders(record, sees_names=self.sees_names)
        if not rows:
            return "—"
        return format_html_join("", '<div>{} <span class="muted">({})</span></div>', rows)
