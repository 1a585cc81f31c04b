"""The cohorts file: trainees and cohorts coming through (Frontline, apprentices, a university
partnership, a newly qualified cohort), saved by ``planning.services``. The forecast counts them
as starters on their expected date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dataio.importing import values as read
from dataio.importing.context import Lookup
from dataio.importing.kinds.base import KEEP, Applied, Column, Kind, RowProblem, assign, field_values, outcome
from planning import services
from planning.models import CohortKind, PipelineCohort

if TYPE_CHECKING:
    from dataio.importing.context import Context


class Cohorts(Kind):
    name = "cohorts"
    title = "Trainees and cohorts"
    record = "cohort"
    key = ("cohort",)
    columns = (
        Column(
            "cohort",
            read.text,
            "The cohort's name, unique: how the file matches it next time.",
            "Frontline 2026 cohort",
            required=True,
            field="name",
        ),
        Column(
            "kind",
            read.choice(CohortKind.choices, what="kind of cohort"),
            "frontline, apprenticeship, university (a university partnership) or newly_qualified "
            "(a newly qualified cohort).",
            "frontline",
            required=True,
            field="kind",
        ),
        Column(
            "headcount",
            read.whole_number,
            "How many people are expected to start (1 or more).",
            "5",
            required=True,
            field="headcount",
        ),
        Column(
            "expected_on",
            read.date,
            "The day they are expected to qualify and start in post.",
            "2026-09-01",
            required=True,
            field="expected_on",
        ),
        Column(
            "role",
            read.text,
            "The role they will start in, by name or code; blank: the case-holding social worker role.",
            "Social Worker",
        ),
        Column(
            "teams",
            read.names,
            "The teams they will join, if known, separated by semicolons (shared equally between "
            "them). When the column is there, the cohort's teams become exactly these (blank: none).",
            "Child Protection East; Child Protection West",
        ),
        Column(
            "known_from",
            read.date,
            "When the council knew of the cohort (places agreed, students placed); blank: today for a "
            "new cohort, unchanged for a recorded one.",
            "2025-09-01",
            field="known_from",
            empty=KEEP,
        ),
        Column("notes", read.text, "Anything else to know about the cohort.", "", field="notes", empty=""),
    )
    error_columns = {"name": "cohort", "role": "role"}

    def prepare(self, rows: list[dict[str, Any]], context: Context) -> None:
        """Read the teams the rows name and the cohorts recorded by name."""
        context.teams.fetch(name for values in rows for name in values.get("teams") or ())
        context.extra["cohorts"] = Lookup(
            PipelineCohort.objects.prefetch_related("teams").all, lambda cohort: cohort.name
        )

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        cohorts: Lookup = context.extra["cohorts"]
        cohort = cohorts.get(values["cohort"]) or PipelineCohort()
        adding = cohort._state.adding
        changes = list(assign(cohort, field_values(self, values)))
        if "role" in values:
            role = None
            if values["role"]:
                role = context.roles.get(values["role"])
                if role is None:
                    known = ", ".join(context.roles.names())
                    raise RowProblem(f"there is no role '{values['role']}' (the roles are: {known})", "role")
            changes += assign(cohort, {"role": role})
        teams = None
        if "teams" in values:
            teams = [
                context.find(context.teams, name, kind="teams", what="team", column="teams")
                for name in values["teams"] or ()
            ]
            before = set() if adding else {team.pk for team in cohort.teams.all()}
            if not adding and before != {team.pk for team in teams}:
                changes.append("teams: " + (", ".join(sorted(team.name for team in teams)) or "(none)"))
            elif not adding:
                teams = None  # unchanged: leave them (and their history) as they are
        if adding or changes:
            if context.history_user is not None:
                cohort._history_user = context.history_user
            services.save_cohort(cohort=cohort, teams=teams)
            cohorts.add(cohort)
        return outcome(adding, changes)
