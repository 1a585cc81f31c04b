"""The list of committee reports on /reports/."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from reporting.models import CommitteeReport
from workforce.models import ServiceArea, Team

FIXED_SCOPES = {"all": "All teams", "case-holding": "Case-holding teams"}


class ReportTable(tables.Table):
    region_label = "Committee reports"
    committee = tables.Column(verbose_name="Committee")
    meeting_date = tables.DateColumn(format="j M Y", verbose_name="Meeting")
    as_at = tables.DateColumn(format="j M Y", verbose_name="Figures as at")
    scope = tables.Column(verbose_name="Teams covered")
    status = tables.Column(verbose_name="Status")
    published_at = tables.DateTimeColumn(format="j M Y, H:i", verbose_name="Published")

    class Meta:
        model = CommitteeReport
        fields = ("committee", "meeting_date", "as_at", "scope", "status", "published_at")
        order_by = ("-as_at",)

    def render_committee(self, record: CommitteeReport, value: str) -> str:
        return format_html('<a href="{}">{}</a>', reverse("reporting:report", args=[record.pk]), value)

    def render_scope(self, value: str) -> str:
        """Show the teams a report covers in words ("Case-holding teams", "Children in Care"),
        never the stored code ("case-holding", "service-area:3")."""
        if value in FIXED_SCOPES:
            return FIXED_SCOPES[value]
        kind, _, key = value.partition(":")
        if not hasattr(self, "_names"):  # two queries for the page, not one a row
            self._names = {
                "service-area": {str(pk): name for pk, name in ServiceArea.objects.values_list("pk", "name")},
                "team": {str(pk): name for pk, name in Team.objects.values_list("pk", "name")},
            }
        name = self._names.get(kind, {}).get(key)
        if name is None:
            return key or value
        return f"{name} (team)" if kind == "team" else name
