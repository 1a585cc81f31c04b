"""The recruitment files: campaigns and their applications, saved by ``recruitment.services``.

The campaigns file sets up campaigns (their roles, channels and cost); the applications
file brings in the candidates and the dates of the stages they reached, up to the offer
and its answer. Starts, which create the assignment that fills a post, come in their own
file (``kinds.starts``). The stage rules (``recruitment.rules``) apply to every row.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from dataio.importing import values as read
from dataio.importing.context import Lookup
from dataio.importing.kinds.base import KEEP, Applied, Column, Kind, RowProblem, assign, field_values, outcome
from foundation.dates import long_date
from recruitment import services
from recruitment.models import Application, Campaign, Channel, DeclineReason, Interview, InterviewOutcome
from workforce.models import StartOrigin

if TYPE_CHECKING:
    from dataio.importing.context import Context


def _lower(value: Any) -> str:
    return value.casefold() if isinstance(value, str) else value


def _campaigns(context: Context) -> dict[str, list[Campaign]]:
    """Return the campaigns by title (several, where titles repeat)."""
    if "campaigns" not in context.extra:
        titles: dict[str, list[Campaign]] = defaultdict(list)
        for campaign in Campaign.objects.prefetch_related("roles"):
            titles[campaign.title.strip().casefold()].append(campaign)
        context.extra["campaigns"] = titles
    return context.extra["campaigns"]


def applications_by_key(context: Context) -> dict[tuple, Application]:
    """Return the applications with an email, by (campaign's key, role's key, email), read once."""
    if "applications" not in context.extra:
        context.extra["applications"] = {
            (a.campaign_id, a.role_id, a.email.casefold()): a
            for a in Application.objects.exclude(email="").select_related("campaign", "role")
        }
    return context.extra["applications"]


def campaign_named(title: str, context: Context) -> Campaign:
    """Return the one campaign called ``title``, or raise a problem on the campaign column."""
    found = _campaigns(context).get(title.strip().casefold(), [])
    if not found:
        raise RowProblem(f"there is no campaign '{title}' (set it up in the admin first)", "campaign")
    if len(found) > 1:
        raise RowProblem(
            f"{len(found)} campaigns are called '{title}'; give them distinct titles in the admin", "campaign"
        )
    return found[0]


def _channels(context: Context) -> Lookup:
    if "channels" not in context.extra:
        context.extra["channels"] = Lookup(Channel.objects.all, lambda c: c.code, lambda c: c.name)
    return context.extra["channels"]


def _decline_reasons(context: Context) -> Lookup:
    if "decline_reasons" not in context.extra:
        context.extra["decline_reasons"] = Lookup(
            DeclineReason.objects.all, lambda reason: reason.code, lambda reason: reason.name
        )
    return context.extra["decline_reasons"]


class Campaigns(Kind):
    name = "campaigns"
    title = "Campaigns"
    record = "campaign"
    key = ("campaign",)
    columns = (
        Column(
            "campaign",
            read.text,
            "The campaign's title; how applications name it, so keep titles distinct.",
            "Autumn 2025 experienced social workers",
            required=True,
            field="title",
        ),
        Column(
            "roles",
            read.names,
            "The roles recruited for, by name or code, separated by semicolons.",
            "Social Worker; Senior Practitioner",
            required=True,
        ),
        Column(
            "opens_on",
            read.date,
            "The day the campaign opens.",
            "2025-09-01",
            required=True,
            field="opens_on",
        ),
        Column(
            "closes_on",
            read.date,
            "The day it closes; blank for rolling recruitment.",
            "2025-10-31",
            field="closes_on",
        ),
        Column(
            "channels",
            read.names,
            "The channels used, by code or name, separated by semicolons (admin: Channels).",
            "targeted-online; social-media",
        ),
        Column(
            "partner_name",
            read.text,
            "The recruitment partner, if one is engaged.",
            "",
            field="partner_name",
            empty="",
        ),
        Column(
            "cost",
            read.money,
            "What the campaign costs, in pounds; blank: 0.",
            "12500",
            field="cost",
            empty=KEEP,
        ),
        Column(
            "target_hires", read.whole_number, "How many people it aims to hire.", "6", field="target_hires"
        ),
        Column(
            "newly_qualified_cohort",
            read.yes_no,
            "A cohort of newly qualified social workers? Yes or no; blank: no.",
            "no",
            field="newly_qualified_cohort",
            empty=False,
        ),
        Column(
            "cohort_starts_on",
            read.date,
            "For a newly qualified cohort: the day the cohort starts.",
            "",
            field="cohort_starts_on",
        ),
    )

    model = Campaign

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        found = _campaigns(context).get(values["campaign"].strip().casefold(), [])
        if len(found) > 1:
            raise RowProblem(
                f"{len(found)} campaigns are called '{values['campaign']}'; give them distinct "
                "titles in the admin",
                "campaign",
            )
        campaign = found[0] if found else Campaign()
        adding = campaign._state.adding
        roles = []
        for name in values["roles"]:
            role = context.roles.get(name)
            if role is None:
                raise RowProblem(
                    f"there is no role '{name}' (the roles are: {', '.join(context.roles.names())})", "roles"
                )
            roles.append(role)
        channels = None
        if "channels" in values:
            channels = []
            for name in values["channels"] or []:
                channel = _channels(context).get(name)
                if channel is None:
                    raise RowProblem(
                        f"there is no channel '{name}' (the channels are: "
                        f"{', '.join(_channels(context).names())})",
                        "channels",
                    )
                channels.append(channel)
        changes = list(assign(campaign, field_values(self, values)))
        if not adding:
            if {role.pk for role in roles} != {role.pk for role in campaign.roles.all()}:
                changes.append("roles: " + ", ".join(role.name for role in roles))
            if channels is not None and {c.pk for c in channels} != set(
                campaign.channels.values_list("pk", flat=True)
            ):
                changes.append("channels: " + (", ".join(c.name for c in channels) or "(none)"))
        if adding or changes:
            services.save_campaign(campaign=campaign, roles=roles, channels=channels, user=context.user)
            if adding:
                _campaigns(context)[campaign.title.strip().casefold()] = [campaign]
        return outcome(adding, changes)


class Applications(Kind):
    name = "applications"
    title = "Applications"
    record = "application"
    key = ("campaign", "role", "email")
    error_columns = {"interviews": "interviewed_on"}
    columns = (
        Column(
            "campaign",
            read.text,
            "The campaign's title, as in the campaigns file or set up in the admin.",
            "Autumn 2025 experienced social workers",
            required=True,
            field="campaign",
        ),
        Column(
            "role",
            read.text,
            "The role applied for, by name or code; one of the campaign's roles.",
            "Social Worker",
            required=True,
            field="role",
        ),
        Column(
            "email",
            read.text,
            "The candidate's email address. With the campaign and role, this is the application's reference.",
            "sam.jones@example.org",
            required=True,
            field="email",
        ),
        Column("first_name", read.text, "First name.", "Sam", required=True, field="first_name"),
        Column("last_name", read.text, "Last name.", "Jones", required=True, field="last_name"),
        Column(
            "received_on",
            read.date,
            "The day the application arrived (not before the campaign opens).",
            "2025-09-08",
            required=True,
            field="received_on",
        ),
        Column("phone", read.text, "Telephone number.", "01632 960123", field="phone", empty=""),
        Column(
            "internal",
            read.yes_no,
            "Already employed by the council? Yes or no; blank: no.",
            "no",
            field="internal",
            empty=False,
        ),
        Column(
            "newly_qualified",
            read.yes_no,
            "Qualified in the last 12 months (counted apart in the funnel)? Yes or no; blank: no.",
            "no",
            field="newly_qualified",
            empty=False,
        ),
        Column(
            "source",
            read.text,
            "Where the candidate came from: a channel's code or name (admin: "
            "Channels), such as targeted-online or Social media.",
            "targeted-online",
            field="source",
        ),
        Column("team", read.text, "The team recruited for, if known.", "Child Protection East", field="team"),
        Column(
            "staff_reference",
            read.text,
            "An internal or agency candidate's staff reference.",
            "",
            field="worker",
        ),
        Column(
            "start_origin",
            read.choice(StartOrigin.choices, what="census StartOrigin code"),
            "Where the candidate comes from, as the census StartOrigin code 1-10.",
            "2",
            field="start_origin",
        ),
        Column(
            "shortlisted_on",
            read.date,
            "The day the candidate was shortlisted.",
            "2025-09-20",
            field="shortlisted_on",
        ),
        Column(
            "interviewed_on",
            read.date,
            "The day of the candidate's interview; a new date adds an "
            "interview (interviews entered in the admin are kept).",
            "2025-09-30",
        ),
        Column(
            "interview_outcome",
            read.choice(InterviewOutcome.choices, what="interview outcome"),
            "pending, appointable, not_appointable or did_not_attend; blank: pending for a new interview, "
            "unchanged for a recorded one.",
            "appointable",
        ),
        Column("offered_on", read.date, "The day an offer was made.", "2025-10-06", field="offered_on"),
        Column(
            "salary_point",
            read.text,
            "The grade or salary point offered.",
            "KR10 point 3",
            field="salary_point",
            empty="",
        ),
        Column("salary", read.money, "The salary offered, £ a year.", "41000", field="salary"),
        Column(
            "market_premium",
            read.money,
            "Any market premium offered, £ a year.",
            "3000",
            field="market_premium",
        ),
        Column(
            "start_planned_on", read.date, "The agreed start date.", "2025-12-01", field="start_planned_on"
        ),
        Column(
            "offer_accepted_on",
            read.date,
            "The day the offer was accepted.",
            "2025-10-08",
            field="offer_accepted_on",
        ),
        Column(
            "offer_declined_on", read.date, "The day the offer was declined.", "", field="offer_declined_on"
        ),
        Column(
            "offer_withdrawn_on",
            read.date,
            "The day the offer was withdrawn (by either side).",
            "",
            field="offer_withdrawn_on",
        ),
        Column(
            "decline_reason",
            read.text,
            "Why the offer was declined or withdrawn, by code or name (admin: Offer decline reasons): "
            "salary, location-travel, the-role, accepted-another-offer, withdrew or other. Needed with "
            "a decline or withdrawal date not recorded before. Blank keeps the recorded reason, unless "
            "the row leaves the offer neither declined nor withdrawn.",
            "",
            field="decline_reason",
        ),
    )

    refers = {"staff_reference": "workers", "team": "teams"}
    model = Application

    def _existing(self, context: Context) -> dict[tuple, Application]:
        return applications_by_key(context)

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        found = _campaigns(context).get(values["campaign"].strip().casefold(), [])
        if not found:
            raise RowProblem(
                f"there is no campaign '{values['campaign']}' (set it up in the admin first)", "campaign"
            )
        if len(found) > 1:
            raise RowProblem(
                f"{len(found)} campaigns are called '{values['campaign']}'; give them distinct "
                "titles in the admin",
                "campaign",
            )
        campaign = found[0]
        role = context.roles.get(values["role"])
        if role is None:
            raise RowProblem(f"there is no role '{values['role']}'", "role")
        related: dict[str, Any] = {"campaign": campaign, "role": role}
        if "source" in values:
            related["source"] = None
            if values["source"]:
                related["source"] = _channels(context).get(values["source"])
                if related["source"] is None:
                    raise RowProblem(
                        f"there is no channel '{values['source']}' (the channels are: "
                        f"{', '.join(_channels(context).names())})",
                        "source",
                    )
        if values.get("decline_reason"):
            related["decline_reason"] = _decline_reasons(context).get(values["decline_reason"])
            if related["decline_reason"] is None:
                raise RowProblem(
                    f"there is no offer decline reason '{values['decline_reason']}' (the reasons are: "
                    f"{', '.join(_decline_reasons(context).names())})",
                    "decline_reason",
                )
        if "team" in values:
            related["team"] = values["team"] and context.find(
                context.teams, values["team"], kind="teams", what="team", column="team"
            )
        if "staff_reference" in values:
            related["worker"] = values["staff_reference"] and context.find(
                context.workers,
                values["staff_reference"],
                kind="workers",
                what="worker",
                column="staff_reference",
            )
        fields = {
            name: value
            for name, value in field_values(self, values).items()
            if name not in {"campaign", "role", "source", "team", "worker", "decline_reason"}
        }
        existing = self._existing(context)
        key = (campaign.pk, role.pk, _lower(values["email"]))
        application = existing.get(key) or Application()
        adding = application._state.adding
        if application.started_on is not None:
            # The start (a starts file, or the admin) set the worker and the post's team; an
            # extract that still shows them as they were before does not undo it.
            related.pop("worker", None)
            related.pop("team", None)
        changes = list(assign(application, {**fields, **{k: v or None for k, v in related.items()}}))
        answered = application.offer_declined_on or application.offer_withdrawn_on
        if application.decline_reason_id and not answered:
            # The row takes the decline or withdrawal away: its reason goes with it (and is listed).
            changes += assign(application, {"decline_reason": None})
        interviews = self._interviews(application, values, changes)
        if adding or changes:
            services.save_application(application=application, interviews=interviews, user=context.user)
            existing[key] = application
        return outcome(adding, changes)

    def _interviews(
        self, application: Application, values: dict[str, Any], changes: list[str]
    ) -> list | None:
        """Return the application's interviews with the row's interview added or its outcome
        corrected, or None to leave them as they are."""
        held_on = values.get("interviewed_on")
        if held_on is None:
            return None
        current = [] if application._state.adding else list(application.interviews.all())
        match = next((interview for interview in current if interview.held_on == held_on), None)
        result = values.get("interview_outcome")
        if match is None:
            new = Interview(held_on=held_on, outcome=result or InterviewOutcome.PENDING)
            if not application._state.adding:
                changes.append(f"interview on {long_date(held_on)} added")
            return [*current, new]
        if result and match.outcome != result:
            was, now = match.get_outcome_display(), InterviewOutcome(result).label
            changes.append(f"interview on {long_date(held_on)}: {was} → {now}")
            match.outcome = result
            return current
        return None
