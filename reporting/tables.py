"""The list of committee reports on /reports/."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from reporting.models import CommitteeReport


class ReportTable(tables.Table):
    region_label = "Committee reports"
    committee = tables.Column(verbose_name="Committee")
    meeting_date = tables.DateColumn(format="j M Y", verbose_name="Meeting")
    as_at = tables.DateColumn(format="j M Y", verbose_name="Figures as at")
    scope = tables.Column(verbose_name="Scope")
    status = tables.Column(verbose_name="Status")
    published_at = tables.DateTimeColumn(format="j M Y, H:i", verbose_name="Published")

    class Meta:
        model = CommitteeReport
        fields = ("committee", "meeting_date", "as_at", "scope", "status", "published_at")
        order_by = ("-as_at",)

    def render_committee(self, record: CommitteeReport, value: str) -> str:
        return format_html('<a href="{}">{}</a>', reverse("reporting:report", args=[record.pk]), value)
