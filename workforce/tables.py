"""The establishment table."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html_join

from reporting.measures import format_fte
from workforce.models import Post


def holders(post: Post, *, sees_names: bool) -> list[tuple[str, str]]:
    """Return (who, how) for each assignment active on the as-at date, names only if allowed."""
    rows = []
    for assignment in getattr(post, "current_assignments", []):
        who = assignment.worker.full_name if sees_names else "(name withheld)"
        how = assignment.get_contract_display()
        if assignment.agency_reason:
            how += f": {assignment.get_agency_reason_display().lower()}"
        rows.append((who, f"{how}, {format_fte(assignment.fte)} FTE"))
    return rows


class FteColumn(tables.Column):
    def render(self, value: Any) -> str:
        return format_fte(value)


class EstablishmentTable(tables.Table):
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

    def __init__(self, *args: Any, sees_names: bool = True, **kwargs: Any) -> None:
        self.sees_names = sees_names
        super().__init__(*args, **kwargs)

    def render_holders(self, record: Post) -> str:
        rows = holders(record, sees_names=self.sees_names)
        if not rows:
            return "—"
        return format_html_join("", '<div>{} <span class="muted">({})</span></div>', rows)
