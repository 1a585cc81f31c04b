"""The establishment's files: teams, posts, workers, assignments and absences.

Teams are written by ``workforce.services``. Posts, workers, assignments and absences,
which run to thousands of rows, are written in batches (``dataio.importing.batch``):
each row is checked in memory with the same model validation and the same rules
(``workforce.rules``: FTE ranges, a post never overfilled by its employees, a worker
never over 1.0 FTE, agency reasons, date order) as ``workforce.services`` applies, against
the records read up front and the rows accepted before it, then every accepted record is
written in bulk with its history.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from dataio.importing import values as read
from dataio.importing.batch import Batch, taken_values
from dataio.importing.context import CHUNK, chunks
from dataio.importing.kinds.base import KEEP, Applied, Column, Kind, RowProblem, assign, field_values, outcome
from workforce import rules, services
from workforce.models import (
    EMPLOYEE_CONTRACTS,
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


def _name_in_history(record: Any, context: Context) -> None:
    """Name the importing user in the history of ``record`` when it is saved, as the batched
    kinds do (without one, simple-history names the user of the request, if any)."""
    if context.history_user is not None:
        record._history_user = context.history_user


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

    refers = {"team": "teams"}

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        team = context.teams.get(values["team"]) or Team()
        adding = team._state.adding
        changes = list(assign(team, field_values(self, values)))
        area_name = values["service_area"]
        area = context.service_areas.get(area_name)
        if area is None:
            area = ServiceArea(name=area_name)
            _name_in_history(area, context)
            area = services.save_service_area(area=area)
            context.service_areas.add(area)
            changes.append(f"new service area {area_name}")
        changes += assign(team, {"service_area": area})
        managers = self._managers(values, context) if "managers" in values else None
        if adding or changes:
            _name_in_history(team, context)
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

    refers = {"post_reference": "posts", "team": "teams"}
    batch_model = Post

    def prepare(self, rows: list[dict[str, Any]], context: Context) -> None:
        """Read the posts and teams the rows name and which of their references are taken."""
        super().prepare(rows, context)
        taken = taken_values(Post, {"reference": [values["post_reference"] for values in rows]})
        context.batches[Post] = Batch(Post, taken)

    def refused(self, values: dict[str, Any], context: Context) -> None:
        post = context.posts.get(values["post_reference"])
        if post is not None and post.pk is None:
            context.posts.discard(values["post_reference"])

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
            context.batches[Post].stage(post, context.row)
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

    refers = {"staff_reference": "workers"}
    batch_model = Worker

    def prepare(self, rows: list[dict[str, Any]], context: Context) -> None:
        """Read the workers the rows name and which of their references are taken."""
        super().prepare(rows, context)
        taken = taken_values(Worker, {"staff_reference": [values["staff_reference"] for values in rows]})
        context.batches[Worker] = Batch(Worker, taken)

    def refused(self, values: dict[str, Any], context: Context) -> None:
        worker = context.workers.get(values["staff_reference"])
        if worker is not None and worker.pk is None:
            context.workers.discard(values["staff_reference"])

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        worker = context.workers.get(values["staff_reference"]) or Worker()
        adding = worker._state.adding
        fields = field_values(self, values)
        if isinstance(fields.get("swe_number"), str):
            fields["swe_number"] = fields["swe_number"].replace(" ", "").upper()
        changes = assign(worker, fields)
        if adding or changes:
            context.batches[Worker].stage(worker, context.row)
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

    refers = {"staff_reference": "workers", "post_reference": "posts"}
    batch_model = Assignment

    def prepare(self, rows: list[dict[str, Any]], context: Context) -> None:
        """Read the workers and posts the rows name, lock the posts, and read every assignment
        in those posts or of those workers (the rules check each row against them), the ones
        the rows correct, and the workers' leaving days."""
        super().prepare(rows, context)
        workers = _named(context.workers, (values["staff_reference"] for values in rows))
        posts = _named(context.posts, (values["post_reference"] for values in rows))
        # Posts and workers this import created have no assignments (nor leavers) yet, and
        # nobody else sees them: only the ones recorded before are locked and read.
        recorded_posts = context.recorded_before(Post, posts)
        recorded_workers = context.recorded_before(Worker, workers)
        for chunk in chunks(recorded_posts):
            # As ``workforce.services.save_assignment``: no two writers overfill a post at once.
            list(Post.objects.select_for_update().filter(pk__in=chunk).values_list("pk", flat=True))
        recorded = RecordedAssignments.read(posts=recorded_posts, workers=recorded_workers)
        context.extra["recorded_assignments"] = recorded
        # The recorded assignments the rows correct, matched as rows are: (worker, post, start).
        keys = {self.identity(values) for values in rows}
        matched: dict[int, tuple] = {}
        for entry in recorded.entries():
            if entry.worker_id in workers and entry.post_id in posts:
                worker, post = workers[entry.worker_id], posts[entry.post_id]
                key = (worker.staff_reference.casefold(), post.reference.casefold(), entry.start)
                if key in keys:
                    matched[entry.pk] = key
        existing: dict[tuple, Assignment] = {}
        for chunk in chunks(sorted(matched)):
            for assignment in Assignment.objects.filter(pk__in=chunk):
                assignment.worker = workers[assignment.worker_id]
                assignment.post = posts[assignment.post_id]
                existing[matched[assignment.pk]] = assignment
        context.extra["assignments"] = existing
        from leavers.models import Leaver

        leaving_days: set[tuple[int, Any]] = set()
        for chunk in chunks(recorded_workers):
            leaving_days.update(
                Leaver.objects.filter(worker_id__in=chunk).values_list("worker_id", "leaving_date")
            )
        context.extra["leaving_days"] = leaving_days
        context.batches[Assignment] = Batch(Assignment)

    def _existing(self, context: Context) -> dict[tuple, Assignment]:
        """Return the recorded assignments the rows name, by (worker, post, start)."""
        return context.extra["assignments"]

    def _leaving_days(self, context: Context) -> set[tuple[int, Any]]:
        """Return (worker's key, leaving date) for each leaver recorded for the rows' workers."""
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
            recorded: RecordedAssignments = context.extra["recorded_assignments"]
            context.batches[Assignment].stage(
                assignment,
                context.row,
                clean=lambda: rules.check_assignment_among(assignment, recorded.around(assignment)),
            )
            recorded.put(assignment)
            existing[key] = assignment
        return outcome(adding, changes)


def _named(lookup: Any, references: Any) -> dict[int, Any]:
    """Return the recorded records ``references`` name in ``lookup`` (already fetched), by key."""
    found = (lookup.get(reference) for reference in set(references) if reference)
    return {record.pk: record for record in found if record is not None and record.pk is not None}


@dataclass(slots=True)
class RecordedAssignment:
    """An assignment as the establishment's rules read it (``workforce.rules.check_assignment_among``)."""

    pk: int
    worker_id: int
    post_id: int
    start: Any
    end: Any
    fte: Any
    is_employee: bool


class RecordedAssignments:
    """The assignments in some posts or of some workers, as recorded and as the import's
    accepted rows change them, to check each row against without a query."""

    def __init__(self, entries: list[RecordedAssignment]) -> None:
        self._by_post: dict[int, dict[Any, Any]] = defaultdict(dict)
        self._by_worker: dict[int, dict[Any, Any]] = defaultdict(dict)
        for entry in entries:
            self._by_post[entry.post_id][entry.pk] = entry
            self._by_worker[entry.worker_id][entry.pk] = entry

    @classmethod
    def read(cls, *, posts: list[int], workers: list[int]) -> RecordedAssignments:
        """Return every recorded assignment in ``posts`` or of ``workers`` (primary keys), read in
        one query per few thousand of each."""
        fields = ("pk", "worker_id", "post_id", "start", "end", "fte", "contract")
        found: dict[int, RecordedAssignment] = {}
        for number in range(max(len(posts), len(workers)) // CHUNK + 1):
            in_posts = posts[number * CHUNK : (number + 1) * CHUNK]
            of_workers = workers[number * CHUNK : (number + 1) * CHUNK]
            if not in_posts and not of_workers:
                continue
            query = Assignment.objects.filter(Q(post_id__in=in_posts) | Q(worker_id__in=of_workers))
            for pk, worker_id, post_id, start, end, fte, contract in query.values_list(*fields):
                found[pk] = RecordedAssignment(
                    pk, worker_id, post_id, start, end, fte, contract in EMPLOYEE_CONTRACTS
                )
        return cls(list(found.values()))

    def entries(self) -> list[Any]:
        """Return every assignment held (each once)."""
        return list(
            {id(entry): entry for by_post in self._by_post.values() for entry in by_post.values()}.values()
        )

    def around(self, assignment: Assignment) -> list[Any]:
        """Return the assignments in ``assignment``'s post or of its worker (each once)."""
        return list({**self._by_post[assignment.post_id], **self._by_worker[assignment.worker_id]}.values())

    def put(self, assignment: Assignment) -> None:
        """Hold ``assignment`` (accepted by the import) in place of what was recorded for it."""
        key = assignment.pk if assignment.pk is not None else id(assignment)
        self._by_post[assignment.post_id][key] = assignment
        self._by_worker[assignment.worker_id][key] = assignment


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

    refers = {"staff_reference": "workers"}
    batch_model = Absence

    def prepare(self, rows: list[dict[str, Any]], context: Context) -> None:
        """Read the workers the rows name and their recorded absences."""
        super().prepare(rows, context)
        workers = _named(context.workers, (values["staff_reference"] for values in rows))
        existing: dict[tuple, Absence] = {}
        for chunk in chunks(context.recorded_before(Worker, workers)):
            for absence in Absence.objects.filter(worker_id__in=chunk):
                absence.worker = workers[absence.worker_id]
                existing[
                    (absence.worker.staff_reference.casefold(), absence.reason.casefold(), absence.start)
                ] = absence
        context.extra["absences"] = existing
        context.batches[Absence] = Batch(Absence)

    def _existing(self, context: Context) -> dict[tuple, Absence]:
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
            context.batches[Absence].stage(absence, context.row)
            existing[key] = absence
        return outcome(adding, changes)
