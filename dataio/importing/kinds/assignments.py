"""The assignments file: who holds which post, checked against the recorded assignments and
the rows accepted before it, as ``workforce.rules`` checks them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from dataio.importing import values as read
from dataio.importing.batch import Batch
from dataio.importing.context import CHUNK, chunks
from dataio.importing.kinds.agency import AGENCY_COLUMNS, settle_weekly_charge, supplier_book
from dataio.importing.kinds.base import (
    Applied,
    Column,
    Kind,
    assign,
    choices_text,
    field_values,
    named_records,
    outcome,
)
from workforce import agency_rules, rules
from workforce.models import (
    EMPLOYEE_CONTRACTS,
    AgencyReason,
    Assignment,
    Contract,
    Post,
    Worker,
)
from workforce.selectors.agency import read_caps

if TYPE_CHECKING:
    from dataio.importing.context import Context


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
            "Agency only, required for agency: " + choices_text(AgencyReason.choices) + ".",
            "vacancy",
            field="agency_reason",
            empty="",
        ),
        Column(
            "agency_supplier",
            read.text,
            "Agency only: the supplying agency, as in the suppliers file or already recorded; a new "
            "name adds the supplier (listed in the import's notes).",
            "Sanctuary Personnel",
            field="agency_supplier",
            empty="",
        ),
        Column(
            "weekly_charge",
            read.money,
            "Agency only: the total weekly charge in pounds. Blank with the rates and hours given: "
            "worked out from them.",
            "1650.00",
            field="weekly_charge",
        ),
        *AGENCY_COLUMNS,
    )
    error_columns = {"supplier": "agency_supplier"}

    refers = {"staff_reference": "workers", "post_reference": "posts"}
    batch_model = Assignment

    def prepare(self, rows: list[dict[str, Any]], context: Context) -> None:
        """Read the workers and posts the rows name, lock the posts, and read every assignment
        in those posts or of those workers (the rules check each row against them), the ones
        the rows correct, and the workers' leaving days."""
        super().prepare(rows, context)
        workers = named_records(context.workers, (values["staff_reference"] for values in rows))
        posts = named_records(context.posts, (values["post_reference"] for values in rows))
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
        context.extra["price_caps"] = read_caps()
        supplier_book(context)
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
        supplier_named = fields.pop("agency_supplier", None)
        if supplier_named is not None:
            fields["supplier"] = supplier_book(context).named(supplier_named, context)
        settle_weekly_charge(assignment, fields)
        if not adding and fields.get("end", assignment.end) is None and assignment.end is not None:
            if (worker.pk, assignment.end) in self._leaving_days(context):
                # Recording the leaver ended this assignment; an extract that still shows it
                # open does not reopen it.
                fields["end"] = assignment.end
        changes = assign(assignment, {**fields, "worker": worker, "post": post})
        if assignment.supplier_id is not None:
            assignment.agency_supplier = assignment.supplier.name
        if adding or changes:
            recorded: RecordedAssignments = context.extra["recorded_assignments"]
            caps = context.extra["price_caps"]

            def clean() -> None:
                rules.check_assignment_among(assignment, recorded.around(assignment))
                agency_rules.settle_agency_terms(assignment, caps=caps)

            context.batches[Assignment].stage(assignment, context.row, clean=clean)
            recorded.put(assignment)
            existing[key] = assignment
        return outcome(adding, changes)


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
