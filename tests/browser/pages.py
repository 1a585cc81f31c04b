"""Every page the width and accessibility walk visits (tests/browser/test_every_page.py), by role.

To add a page, add one line to the list of the roles that use it: the URL's name, and for a
page about one record the kind of record (``record=``, one of ``RECORDS``) or a query
string. For example, for a new /agency/ page every role may open::

    Page("agency:index"),

in ``EVERYONE``; for an admin list HR uses every day, ``Page("admin:agency_invoice_changelist")``
in ``HR_ADMIN``. The walk signs in as each role once, opens each of its pages at 390, 768,
1280 and 1920 px, and fails on a page wider than the window, on any serious or critical axe-core
violation, on a script error or on a failed request. See docs/pages.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class Page:
    name: str  # the URL's name, as reverse() takes it
    record: str = ""  # the kind of record the page is about (a key of RECORDS), if any
    query: str = ""  # a query string, without "?"
    param: str = ""  # the record goes in the query under this name (?leaver=12), not the path

    def url(self, records: dict[str, Callable[[], Any]]) -> str:
        """Return the page's address, finding its record in the database if it needs one."""
        query = self.query
        if self.record:
            pk = records[self.record]()
            assert pk is not None, f"no {self.record} in the data to show {self.name}"
            if self.param:
                address = reverse(self.name)
                query = "&".join(part for part in (query, f"{self.param}={pk}") if part)
            else:
                address = reverse(self.name, args=[pk])
        else:
            address = reverse(self.name)
        return f"{address}?{query}" if query else address

    @property
    def slug(self) -> str:
        """Return a file name for the page's screenshots."""
        text = f"{self.name}-{self.record}-{self.query}".replace(":", "-").replace("&", "-").replace("=", "-")
        return "-".join(part for part in text.split("-") if part)


def _first(model_path: str, **filters: Any) -> Callable[[], Any]:
    def find() -> Any:
        from django.apps import apps

        model = apps.get_model(model_path)
        return model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first()

    return find


def _future_cohort() -> Any:
    import datetime as dt

    from recruitment.models import Campaign

    later = Campaign.objects.filter(newly_qualified_cohort=True, cohort_starts_on__gt=dt.date.today())
    return (
        later.order_by("pk").values_list("pk", flat=True).first()
        or _first("recruitment.Campaign", newly_qualified_cohort=True)()
    )


# What the pages about one record show: the first of its kind in the demonstration county.
RECORDS: dict[str, Callable[[], Any]] = {
    "campaign": _first("recruitment.Campaign", newly_qualified_cohort=False),
    "cohort": _future_cohort,
    "published_report": _first("reporting.CommitteeReport", status="published"),
    "draft_report": _first("reporting.CommitteeReport", status="draft"),
    "post": _first("workforce.Post", assignments__contract="agency"),
    "worker": _first("workforce.Worker", absences__isnull=False),
    "application": _first("recruitment.Application", interviews__isnull=False),
    "leaver": _first("leavers.Leaver"),
    "team": _first("workforce.Team"),
    "managers_campaign": _first("recruitment.Campaign", applications__team__managers__username="manager"),
    # A leaver of the demo manager's own teams, without an exit conversation yet.
    "managers_leaver": _first(
        "leavers.Leaver", team__managers__username="manager", exit_conversation__isnull=True
    ),
}

# The product's own pages, for every role.
EVERYONE = [
    Page("home"),
    Page("workforce:establishment"),
    Page("workforce:establishment", query="vacant_only=on"),
    Page("recruitment:campaigns"),
    Page("leavers:leavers"),
    Page("reporting:reports"),
    Page("reporting:report", record="published_report"),
    Page("pages:accessibility"),
    Page("agency:agency"),
    Page("agency:spend"),
    Page("planning:forecast"),
    Page("notices:preferences"),
]
# Making a what-if scenario: everyone but the readers, who see figures only.
SCENARIOS = [Page("planning:new_scenario")]
# A campaign's page: managers see only the campaigns with applications for their own teams.
CAMPAIGNS = [
    Page("recruitment:campaign", record="campaign"),
    Page("recruitment:campaign", record="cohort"),
]
MANAGER = [
    Page("recruitment:campaign", record="managers_campaign"),
    Page("leavers:leavers", query="conversation=due"),
    Page("leavers:conversation", record="managers_leaver", param="leaver"),
]
DIRECTOR = [
    Page("reporting:report", record="draft_report"),
    Page("reporting:publish", record="draft_report"),
    Page("pages:new_report"),
    Page("pages:return_checks"),
    Page("admin:index"),
    Page("admin:reporting_committeereport_changelist"),
    Page("admin:reporting_committeereport_change", record="draft_report"),
    Page("admin:reporting_committeereport_preview", record="draft_report"),
    Page("admin:reporting_strategyaction_changelist"),
]
# The admin's lists and forms HR uses every day.
HR_ADMIN = [
    Page("admin:index"),
    Page("admin:workforce_post_changelist"),
    Page("admin:workforce_post_change", record="post"),
    Page("admin:workforce_post_add"),
    Page("admin:workforce_worker_changelist"),
    Page("admin:workforce_worker_change", record="worker"),
    Page("admin:workforce_assignment_changelist"),
    Page("admin:workforce_team_change", record="team"),
    Page("admin:recruitment_campaign_changelist"),
    Page("admin:recruitment_campaign_change", record="campaign"),
    Page("admin:recruitment_application_changelist"),
    Page("admin:recruitment_application_change", record="application"),
    Page("admin:leavers_leaver_changelist"),
    Page("admin:leavers_leaver_change", record="leaver"),
    Page("admin:dataio_importrun_upload"),
    Page("admin:workforce_caseload_changelist"),
    Page("admin:workforce_comparator_changelist"),
    Page("admin:workforce_supplier_changelist"),
    Page("admin:workforce_invoiceline_changelist"),
    Page("admin:workforce_pricecap_changelist"),
    Page("admin:planning_pipelinecohort_changelist"),
    Page("pages:return_checks"),
]

ROLES: dict[str, list[Page]] = {
    "hr": EVERYONE + CAMPAIGNS + SCENARIOS + HR_ADMIN,
    "manager": EVERYONE + SCENARIOS + MANAGER,
    "director": EVERYONE + CAMPAIGNS + SCENARIOS + DIRECTOR,
    "reader": EVERYONE + CAMPAIGNS,
}
WIDTHS = (390, 768, 1280, 1920)  # a phone, a tablet, a laptop, a large screen: no page wider
AXE_WIDTHS = (390, 1280)  # GOV.UK Frontend's two layouts (the others are these, wider)
SCREENSHOT_WIDTHS = (390, 1280, 1920)
