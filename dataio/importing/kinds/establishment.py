"""The establishment's files: teams, posts, workers, assignments and absences.

Posts, workers, assignments and absences are written by ``workforce.services``, so the
rules of the establishment (FTE ranges, a post never overfilled by its employees, a
worker never over 1.0 FTE, agency reasons, date order) apply to every imported row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dataio.importing import values as read
from dataio.importing.kinds.base import KEEP, Applied, Column, Kind, RowProblem, assign, field_values, outcome
from workforce import services
from workforce.models import (
    Absence,
    AbsenceReason,
    AgencyReason,
    Assignment,
    CfkssStatus,
    Contract,
    Ethnicity,
    Funding,
    Gender,
    Post,
    QualificationLevel,
    ServiceArea,
    StartOrigin,
    Team,
    Worker,
)

if TYPE_CHECKING:
    from dataio.importing.context import Context


def _choices(options: Any) -> str:
    return "; ".join(f"{value} ({label})" for value, label in options)


class Teams(Kind):
    name = "teams"
    title = "Teams"
    record = "team"
    key = ("team",)
    columns = (
        Column(
            "team",
            read.text,
            "The team's name, unique; how posts name their team.",
            "Child Protection East",
            required=True,
            field="name",
        ),
        Column(
            "service_area",
            read.text,
            "The service area the team is in; a new name adds the area.",
            "Child Protection",
            required=True,
        ),
        Column(
            "case_holding",
            read.yes_no,
            "Does the team hold children's cases? Yes or no; blank: yes for "
            "a new team, unchanged for a recorded one.",
            "yes",
            field="case_holding",
            empty=KEEP,
        ),
        Column(
            "managers",
            read.text,
            "The user names of the team's managers, separated by semicolons. "
            "When the column is there, the team's managers become exactly these (blank: none).",
            "asha.patel; tom.reed",
        ),
    )

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        team = context.teams.get(values["team"]) or Team()
        adding = team._state.adding
        changes = list(assign(team, field_values(self, values)))
        area_name = values["service_area"]
        area = context.service_areas.get(area_name)
        if area is None:
            area = services.save_service_area(area=ServiceArea(name=area_name))
            context.service_areas.add(area)
            changes.append(f"new service area {area_name}")
        changes += assign(team, {"service_area": area})
        managers = self._managers(values, context) if "managers" in values else None
        if adding or changes:
            services.save_team(team=team)
            context.teams.add(team)
        if managers is not None:
            current = set() if adding else set(team.managers.values_list("pk", flat=True))
            if current != {user.pk for user in managers}:
                team.managers.set(managers)
                if not adding:
                    shown = ", ".join(sorted(user.get_username() for user in managers))
                    changes.append(f"managers: {shown or '(none)'}")
        return outcome(adding, changes)

    def _managers(self, values: dict[str, Any], context: Context) -> list[Any]:
        names = [name.strip() for name in (values.get("managers") or "").replace(",", ";").split(";")]
        users = []
        for name in filter(None, names):
            user = context.users.get(name)
            if user is None:
                raise RowProblem(
                    f"there is no user '{name}' (managers are named by their user name)", "managers"
                )
            users.append(user)
        return users


class Posts(Kind):
    name = "posts"
    title = "Posts"
    record = "post"
    key = ("post_reference",)
    columns = (
        Column(
            "post_reference",
            read.text,
            "The post's reference, unique and never reused.",
            "CP-E-014",
            required=True,
            field="reference",
        ),
        Column(
            "team",
            read.text,
            "The team's name, as in the teams file or already recorded.",
            "Child Protection East",
            required=True,
        ),
        Column(
            "role",
            read.text,
            "The role (grade), by its name or code as set up in the admin under Roles.",
            "Social Worker",
            required=True,
        ),
        Column(
            "fte",
            read.decimal,
            "Funded full-time equivalent: more than 0, at most 1.",
            "0.5",
            required=True,
            field="fte",
        ),
        Column(
            "active_from",
            read.date,
            "The first day the post is funded.",
            "2019-04-01",
            required=True,
            field="active_from",
        ),
        Column(
            "active_to",
            read.date,
            "The last day the post is funded; blank if it continues.",
            "",
            field="active_to",
        ),
        Column(
            "funding",
            read.choice(Funding.choices, what="funding"),
            "establishment (the permanent structure; only these can be vacant) or temporary; blank: "
            "establishment for a new post, unchanged for a recorded one.",
            "establishment",
            field="funding",
            empty=KEEP,
        ),
    )

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        post = context.posts.get(values["post_reference"]) or Post()
        adding = post._state.adding
        team = context.find(context.teams, values["team"], kind="teams", what="team", column="team")
        role = context.roles.get(values["role"])
        if role is None:
            raise RowProblem(
                f"there is no role '{values['role']}' (the roles are: {', '.join(context.roles.names())})",
                "role",
            )
        changes = assign(post, {**field_values(self, values), "team": team, "role": role})
        if adding or changes:
            services.save_post(post=post)
            context.posts.add(post)
        return outcome(adding, changes)


class Workers(Kind):
    name = "workers"
    title = "Workers"
    record = "worker"
    key = ("staff_reference",)
    columns = (
        Column(
            "staff_reference",
            read.text,
            "The worker's reference in the HR system (agency workers too), unique.",
            "W004512",
            required=True,
            field="staff_reference",
        ),
        Column("first_name", read.text, "First name.", "Asha", required=True, field="first_name"),
        Column("last_name", read.text, "Last name.", "Patel", required=True, field="last_name"),
        Column(
            "swe_number",
            read.text,
            "Social Work England number: two letters and ten digits.",
            "SW0000012345",
            field="swe_number",
            empty="",
        ),
        Column(
            "date_qualified",
            read.date,
            "The date the worker qualified as a social worker.",
            "2016-07-01",
            field="date_qualified",
        ),
        Column(
            "service_start",
            read.date,
            "Start of continuous service with the council (employees).",
            "2019-04-01",
            field="service_start",
        ),
        Column(
            "start_origin",
            read.choice(StartOrigin.choices, what="census StartOrigin code"),
            "Where the worker came from, as the census StartOrigin code 1-10: "
            + _choices(StartOrigin.choices)
            + ".",
            "2",
            field="start_origin",
        ),
        Column("birth_date", read.date, "Date of birth (census).", "1988-02-29", field="birth_date"),
        Column(
            "gender",
            read.choice(Gender.choices, what="census gender code"),
            "Census GenderCurrent code: " + _choices(Gender.choices) + ".",
            "2",
            field="gender",
            empty="",
        ),
        Column(
            "ethnicity",
            read.choice(Ethnicity.choices, what="census ethnicity code"),
            "Census ethnicity code, such as WBRI, AIND, BAFR, REFU or NOBT.",
            "WBRI",
            field="ethnicity",
            empty="",
        ),
        Column(
            "qualification_level",
            read.choice(QualificationLevel.choices, what="census QualLevel code"),
            "Census QualLevel code: " + _choices(QualificationLevel.choices) + ".",
            "1",
            field="qualification_level",
            empty="",
        ),
        Column(
            "qualifying_institution",
            read.text,
            "Where the worker qualified (census QualInst).",
            "University of Kent",
            field="qualifying_institution",
            empty="",
        ),
        Column(
            "cfkss_status",
            read.choice(CfkssStatus.choices, what="census CFKSSstatus code"),
            "Census CFKSSstatus code: " + _choices(CfkssStatus.choices) + ".",
            "2",
            field="cfkss_status",
        ),
        Column(
            "frontline_graduate",
            read.yes_no,
            "Qualified through Frontline? Yes or no; blank: no.",
            "no",
            field="frontline_graduate",
            empty=False,
        ),
        Column(
            "step_up_graduate",
            read.yes_no,
            "Qualified through Step Up to Social Work? Yes or no; blank: no.",
            "no",
            field="step_up_graduate",
            empty=False,
        ),
    )

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        worker = context.workers.get(values["staff_reference"]) or Worker()
        adding = worker._state.adding
        fields = field_values(self, values)
        if isinstance(fields.get("swe_number"), str):
            fields["swe_number"] = fields["swe_number"].replace(" ", "").upper()
        changes = assign(worker, fields)
        if adding or changes:
            services.save_worker(worker=worker)
            context.workers.add(worker)
        return outcome(adding, changes)


class Assignments(Kind):
    name = "assignments"
    title = "Assignments"
    record = "assignment"
    key = ("staff_reference", "post_reference", "start")
    columns = (
        Column(
            "staff_reference",
            read.text,
            "The worker, as in the workers file or already recorded.",
            "W004512",
            required=True,
        ),
        Column(
            "post_reference",
            read.text,
            "The post, as in the posts file or already recorded.",
            "CP-E-014",
            required=True,
        ),
        Column(
            "start",
            read.date,
            "The first day in the post. With the worker and post, this is the assignment's reference.",
            "2021-09-06",
            required=True,
            field="start",
        ),
        Column("end", read.date, "The last day in the post; blank if it continues.", "", field="end"),
        Column(
            "fte",
            read.decimal,
            "Full-time equivalent worked in the post: more than 0, at most 1.",
            "1",
            required=True,
            field="fte",
        ),
        Column(
            "contract",
            read.choice(Contract.choices, what="contract"),
            "permanent, fixed_term (both are employees) or agency.",
            "permanent",
            required=True,
            field="contract",
        ),
        Column(
            "agency_reason",
            read.choice(AgencyReason.choices, what="agency reason"),
            "Agency only, required for agency: " + _choices(AgencyReason.choices) + ".",
            "vacancy",
            field="agency_reason",
            empty="",
        ),
        Column(
            "agency_supplier",
            read.text,
            "Agency only: the supplying agency.",
            "Sanctuary Personnel",
            field="agency_supplier",
            empty="",
        ),
        Column(
            "weekly_charge",
            read.money,
            "Agency only: the weekly charge in pounds.",
            "1650.00",
            field="weekly_charge",
        ),
    )

    def _existing(self, context: Context) -> dict[tuple, Assignment]:
        if "assignments" not in context.extra:
            context.extra["assignments"] = {
                (a.worker.staff_reference.casefold(), a.post.reference.casefold(), a.start): a
                for a in Assignment.objects.select_related("worker", "post__team", "post__role")
            }
        return context.extra["assignments"]

    def _leaving_days(self, context: Context) -> set[tuple[int, Any]]:
        if "leaving_days" not in context.extra:
            from leavers.models import Leaver

            context.extra["leaving_days"] = set(Leaver.objects.values_list("worker_id", "leaving_date"))
        return context.extra["leaving_days"]

    def order(self, rows: list[Any], context: Context) -> list[Any]:
        """Apply rows that correct a recorded assignment before new ones, so that ending one
        holder's assignment and starting the next in the same post works in either order."""
        existing = self._existing(context)
        return sorted(rows, key=lambda row: self.identity(row.values) not in existing)

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        worker = context.find(
            context.workers,
            values["staff_reference"],
            kind="workers",
            what="worker",
            column="staff_reference",
        )
        post = context.find(
            context.posts, values["post_reference"], kind="posts", what="post", column="post_reference"
        )
        existing = self._existing(context)
        key = self.identity(values)
        assignment = existing.get(key) or Assignment()
        adding = assignment._state.adding
        fields = field_values(self, values)
        if not adding and fields.get("end", assignment.end) is None and assignment.end is not None:
            if (worker.pk, assignment.end) in self._leaving_days(context):
                # Recording the leaver ended this assignment; an extract that still shows it
                # open does not reopen it.
                fields["end"] = assignment.end
        changes = assign(assignment, {**fields, "worker": worker, "post": post})
        if adding or changes:
            services.save_assignment(assignment=assignment)
            existing[key] = assignment
        return outcome(adding, changes)


class Absences(Kind):
    name = "absences"
    title = "Absences"
    record = "absence"
    key = ("staff_reference", "reason", "start")
    columns = (
        Column(
            "staff_reference",
            read.text,
            "The worker, as in the workers file or already recorded.",
            "W004512",
            required=True,
        ),
        Column(
            "reason",
            read.choice(AbsenceReason.choices, what="census absence code"),
            "The census absence code: " + _choices(AbsenceReason.choices) + ".",
            "SIC",
            required=True,
            field="reason",
        ),
        Column(
            "start",
            read.date,
            "The first day away. With the worker and reason, this is the absence's reference.",
            "2025-01-13",
            required=True,
            field="start",
        ),
        Column(
            "end",
            read.date,
            "The last day away; blank if the worker is still away.",
            "2025-01-24",
            field="end",
        ),
        Column(
            "working_days_lost",
            read.decimal,
            "Working days lost (up to two decimal places); blank: 0.",
            "10",
            field="working_days_lost",
            empty=KEEP,
        ),
    )

    def _existing(self, context: Context) -> dict[tuple, Absence]:
        if "absences" not in context.extra:
            context.extra["absences"] = {
                (a.worker.staff_reference.casefold(), a.reason.casefold(), a.start): a
                for a in Absence.objects.select_related("worker")
            }
        return context.extra["absences"]

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        worker = context.find(
            context.workers,
            values["staff_reference"],
            kind="workers",
            what="worker",
            column="staff_reference",
        )
        existing = self._existing(context)
        key = self.identity(values)
        absence = existing.get(key) or Absence()
        adding = absence._state.adding
        changes = assign(absence, {**field_values(self, values), "worker": worker})
        if adding or changes:
            services.save_absence(absence=absence)
            existing[key] = absence
        return outcome(adding, changes)
