"""The whole council's establishment as changes by day, kept up to date by every write.

The committee summary gives the establishment on five dates. Worked out from the records,
that is a read of every assignment over those dates: 61,000 rows at 40,000 posts, a
quarter of a second and the largest part of the summary. But each establishment figure is
a step function of the day: for each role, the posts, the establishment FTE (E), the FTE
in post (S), agency FTE (A), vacancy FTE (V), agency covering vacancies, and the distinct
employees and agency workers; across roles, the distinct employees and agency workers; and
for each agency reason, its agency FTE and workers. This module keeps how much each figure
changes on each day it changes (``EstablishmentChange``). A figure on a day is the sum of
its changes up to that day, and one query reads every figure on every date.

What keeps them up to date:
- **A post, assignment or role saved or deleted one at a time** (the admin, the services,
  the demonstration, the tests' factories). Signals work out what the posts and workers
  the write touches add to the figures, before the write and after it, and add the
  difference.
- **Anything else** (the import's writes in bulk, ``update()``, raw SQL, the scale
  generator) leaves them out of date, and they are rebuilt by a task on the queue.

They are never wrong, at worst out of date. Database triggers (migration 0006) add one to
``EstablishmentChangesState.changes`` on every write to the posts, assignments and roles,
whatever makes it; ``kept`` is the value of ``changes`` the kept rows describe.
- A write keeps them up to date only if they were up to date before it, inside its
  transaction, with the state row locked: such writes run one at a time.
- ``establishment_on_dates`` reads the kept changes only when ``kept`` equals
  ``changes``, and returns None otherwise. The caller then works the figures out from
  the records (``workforce.selectors.establishment_on_dates``), and a rebuild is queued
  (``rebuild_establishment_changes``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Model, Q, Sum, Value, When
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from jobs.queue import task
from workforce.models import (
    EMPLOYEE_CONTRACTS,
    AgencyReason,
    Assignment,
    Contract,
    EstablishmentChange,
    EstablishmentChangesState,
    Funding,
    Post,
    Role,
)

logger = logging.getLogger(__name__)

DAY = dt.timedelta(days=1)
# The figures kept for each group, in the table's column order.
COLUMNS = ("posts", "establishment", "in_post", "agency", "vacancy", "cover", "in_post_heads", "agency_heads")
ACROSS_ROLES = 0  # the ``role`` of the groups counted across roles
STATE = 1  # the id of the state's one row
UNITS = 10_000  # FTEs are kept in ten-thousandths (they have four decimal places)
WATCHED = (Role, Post, Assignment)  # the records the figures are worked out from


def _units(value: Decimal) -> int:
    return int(value * UNITS)


# --- What the records add to the figures ---------------------------------------------------


class Changes:
    """Changes to the figures: {(role, reason, day): {column: amount}}."""

    def __init__(self) -> None:
        self.points: dict[tuple[int, str, dt.date], dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(
        self, group: tuple[int, str], column: str, start: dt.date, end: dt.date | None, amount: int
    ) -> None:
        """Add ``amount`` to ``column`` of ``group`` from ``start`` up to, not including, ``end``
        (None: for good)."""
        if not amount or (end is not None and end <= start):
            return
        self.points[(*group, start)][column] += amount
        if end is not None:
            self.points[(*group, end)][column] -= amount

    def rows(self) -> list[tuple]:
        """Return (role, reason, day, *COLUMNS) for every day something changes on."""
        return [
            (role, reason, day, *(amounts.get(column, 0) for column in COLUMNS))
            for (role, reason, day), amounts in sorted(self.points.items())
            if any(amounts.values())
        ]


@dataclass(frozen=True)
class _Post:
    role: int
    establishment_units: int | None  # the post's FTE in ten-thousandths if establishment-funded
    first: dt.date
    end: dt.date | None  # the day after its last active day; None if open


@dataclass(frozen=True)
class _Held:
    """An employee or agency assignment, cut to the days its post is active."""

    worker: int
    post: int
    role: int
    agency: bool
    reason: str  # the agency reason (blank for an employee)
    first: dt.date
    end: dt.date | None  # the day after its last counted day; None if open
    units: int


def _day_after(day: dt.date | None) -> dt.date | None:
    return None if day is None else day + DAY


def _read_posts(condition: Q) -> dict[int, _Post]:
    """Return the posts of in-scope roles matching ``condition``."""
    rows = (
        Post.objects.filter(condition, role__in_scope=True)
        .order_by()
        .values_list("pk", "role_id", "funding", "fte", "active_from", "active_to")
    )
    return {
        pk: _Post(
            role=role,
            establishment_units=_units(amount) if funding == Funding.ESTABLISHMENT else None,
            first=active_from,
            end=_day_after(active_to),
        )
        for pk, role, funding, amount, active_from, active_to in rows
    }


def _read_held(condition: Q) -> list[_Held]:
    """Return the employee and agency assignments in posts of in-scope roles matching ``condition``,
    each cut to its post's active days (those never active in it are left out)."""
    rows = (
        Assignment.objects.filter(condition, post__role__in_scope=True)
        .filter(contract__in=(*EMPLOYEE_CONTRACTS, Contract.AGENCY))
        .order_by()
        .values_list(
            "worker_id",
            "post_id",
            "post__role_id",
            "contract",
            "agency_reason",
            "start",
            "end",
            "fte",
            "post__active_from",
            "post__active_to",
        )
    )
    held = []
    for worker, post, role, contract, reason, start, end, amount, active_from, active_to in rows:
        first = max(start, active_from)
        last = min((day for day in (end, active_to) if day is not None), default=None)
        if last is not None and last < first:
            continue
        agency = contract == Contract.AGENCY
        held.append(
            _Held(
                worker, post, role, agency, reason if agency else "", first, _day_after(last), _units(amount)
            )
        )
    return held


def _vacant(post: _Post, employed: list[_Held]) -> Iterator[tuple[dt.date, dt.date | None, int]]:
    """Yield (from, to, FTE) over the post's active days: its vacancy, the post's FTE less its
    employees' FTE, never below nought. ``employed`` lie within the post's active days."""
    changes: dict[dt.date, int] = defaultdict(int)
    for held in employed:
        changes[held.first] += held.units
        if held.end is not None:
            changes[held.end] -= held.units
    days = sorted({post.first, *changes})
    filled = 0
    for day, following in zip(days, [*days[1:], post.end], strict=True):
        filled += changes.get(day, 0)
        vacant = max(0, post.establishment_units - filled)
        if vacant and (following is None or day < following):
            yield day, following, vacant


def _add_posts(changes: Changes, posts: dict[int, _Post], held: list[_Held], sign: int) -> None:
    """Add ``sign`` times what ``posts`` and their assignments (in ``held``) add to the figures:
    posts, E, S, A, agency cover, V, and agency FTE by reason."""
    by_post: dict[int, list[_Held]] = defaultdict(list)
    for assignment in held:
        if assignment.post in posts:
            by_post[assignment.post].append(assignment)
    for pk, post in posts.items():
        group = (post.role, "")
        establishment = post.establishment_units is not None
        changes.add(group, "posts", post.first, post.end, sign)
        if establishment:
            changes.add(group, "establishment", post.first, post.end, sign * post.establishment_units)
        employed = []
        for assignment in by_post[pk]:
            amount = sign * assignment.units
            if assignment.agency:
                changes.add(group, "agency", assignment.first, assignment.end, amount)
                if assignment.reason:
                    changes.add(
                        (ACROSS_ROLES, assignment.reason), "agency", assignment.first, assignment.end, amount
                    )
                if assignment.reason == AgencyReason.VACANCY and establishment:
                    changes.add(group, "cover", assignment.first, assignment.end, amount)
            else:
                changes.add(group, "in_post", assignment.first, assignment.end, amount)
                employed.append(assignment)
        if establishment:
            for start, end, vacant in _vacant(post, employed):
                changes.add(group, "vacancy", start, end, sign * vacant)


def _union(spans: list[tuple[dt.date, dt.date | None]]) -> Iterator[tuple[dt.date, dt.date | None]]:
    """Yield the spans (from, to; to None for good) covering the days of ``spans``, joined."""
    spans = sorted(spans, key=lambda span: span[0])
    start, end = spans[0]
    for first, following in spans[1:]:
        if end is not None and first > end:
            yield start, end
            start, end = first, following
        elif end is not None and (following is None or following > end):
            end = following
    yield start, end


def _add_workers(changes: Changes, workers: set[int], held: list[_Held], sign: int) -> None:
    """Add ``sign`` times what ``workers`` add to the headcounts: each counts once a day in each
    group they hold an assignment in (their role, across roles, their agency reason)."""
    spans: dict[tuple[int, tuple[int, str], str], list] = defaultdict(list)
    for assignment in held:
        if assignment.worker not in workers:
            continue
        span = (assignment.first, assignment.end)
        if assignment.agency:
            spans[assignment.worker, (assignment.role, ""), "agency_heads"].append(span)
            spans[assignment.worker, (ACROSS_ROLES, ""), "agency_heads"].append(span)
            if assignment.reason:
                spans[assignment.worker, (ACROSS_ROLES, assignment.reason), "agency_heads"].append(span)
        else:
            spans[assignment.worker, (assignment.role, ""), "in_post_heads"].append(span)
            spans[assignment.worker, (ACROSS_ROLES, ""), "in_post_heads"].append(span)
    for (_, group, column), worker_spans in spans.items():
        for start, end in _union(worker_spans):
            changes.add(group, column, start, end, sign)


@dataclass
class _Touched:
    """The posts and workers a write touches: whatever they add to the figures may change."""

    posts: set[int] = field(default_factory=set)
    workers: set[int] = field(default_factory=set)


def _add_touched(changes: Changes, touched: _Touched, sign: int) -> None:
    """Add ``sign`` times what the touched posts and workers add to the figures (two queries)."""
    touched.posts.discard(None)
    touched.workers.discard(None)
    if not touched.posts and not touched.workers:
        return
    posts = _read_posts(Q(pk__in=sorted(touched.posts)))
    held = _read_held(Q(post_id__in=sorted(posts)) | Q(worker_id__in=sorted(touched.workers)))
    _add_posts(changes, posts, held, sign)
    _add_workers(changes, touched.workers, held, sign)


def changes_from_records() -> Changes:
    """Return every change to the figures, worked out from the records (two queries)."""
    changes = Changes()
    held = _read_held(Q())
    _add_posts(changes, _read_posts(Q()), held, 1)
    _add_workers(changes, {assignment.worker for assignment in held}, held, 1)
    return changes


# --- Keeping them ---------------------------------------------------------------------------


def _table() -> str:
    return connection.ops.quote_name(EstablishmentChange._meta.db_table)


def _apply(changes: Changes) -> None:
    """Add ``changes`` to the kept changes (one statement)."""
    rows = changes.rows()
    if not rows:
        return
    table = _table()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in ("role", "reason", "day", *COLUMNS))
    sums = ", ".join(
        f"{quote(column)} = {table}.{quote(column)} + excluded.{quote(column)}" for column in COLUMNS
    )
    placeholders = ", ".join(["%s"] * (3 + len(COLUMNS)))
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "
            f"ON CONFLICT ({quote('role')}, {quote('reason')}, {quote('day')}) DO UPDATE SET {sums}",
            [(role, reason, adapt(day), *amounts) for role, reason, day, *amounts in rows],
        )


def _state() -> str:
    return connection.ops.quote_name(EstablishmentChangesState._meta.db_table)


def _lock_state() -> tuple[int, int | None]:
    """Lock the state row until the transaction ends (creating it if it is missing, as after
    a flush) and return (changes, kept). A write to the posts, assignments or roles locks it
    too (its trigger updates it): the records cannot change while it is held."""
    row = (
        EstablishmentChangesState.objects.select_for_update().filter(pk=STATE).values_list("changes", "kept")
    )
    state = row.first()
    if state is None:
        # With no posts there is nothing to keep (a new database): the empty kept changes
        # are up to date. Otherwise they are out of date until rebuilt.
        kept = None if Post.objects.exists() else 0
        EstablishmentChange.objects.all().delete()
        EstablishmentChangesState.objects.create(pk=STATE, changes=0, kept=kept)
        state = row.first()
    return state


def _mark_kept() -> None:
    """Say the kept changes describe the records as they are now."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_state()} SET {quote('kept')} = {quote('changes')} WHERE {quote('id')} = %s", [STATE]
        )


def mark_out_of_date() -> None:
    EstablishmentChangesState.objects.filter(pk=STATE).update(kept=None)


def rebuild() -> None:
    """Work every change out from the records again and keep them."""
    with transaction.atomic():
        _lock_state()  # no write to the records can commit while they are read
        changes = changes_from_records()
        EstablishmentChange.objects.all().delete()
        _apply(changes)
        _mark_kept()
        EstablishmentChangesState.objects.filter(pk=STATE).update(rebuilt_at=timezone.now())


def _up_to_date_for_write() -> bool:
    """Lock the kept changes for this write; return whether they are up to date, so worth
    keeping so. Outside a transaction a write cannot be kept with them (the lock would not
    last until it is done): they are marked out of date."""
    if not connection.in_atomic_block:
        mark_out_of_date()
        return False
    changes, kept = _lock_state()
    return kept == changes


# --- The signals --------------------------------------------------------------------------

_WRITE = "_establishment_write"  # the instance's attribute carrying the write from before to after
_REBUILD = "rebuild"


def _touched_by(instance: Model) -> _Touched | str:
    """Return the posts and workers a write of ``instance`` touches, as they are before it
    (or ``_REBUILD`` for a role moving in or out of scope)."""
    if isinstance(instance, Assignment):
        touched = _Touched({instance.post_id}, {instance.worker_id})
        if instance.pk is not None:
            old = Assignment.objects.filter(pk=instance.pk).values_list("post_id", "worker_id").first()
            if old is not None:
                touched.posts.add(old[0])
                touched.workers.add(old[1])
        return touched
    if isinstance(instance, Post):
        if instance.pk is None:
            return _Touched()
        workers = Assignment.objects.filter(post_id=instance.pk).values_list("worker_id", flat=True)
        return _Touched({instance.pk}, set(workers))
    if isinstance(instance, Role) and instance.pk is not None:
        in_scope = Role.objects.filter(pk=instance.pk).values_list("in_scope", flat=True).first()
        if in_scope is not None and in_scope != instance.in_scope:
            return _REBUILD
    return _Touched()  # a new role, or one whose scope is unchanged: it adds nothing new


def _before_write(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    setattr(instance, _WRITE, None)
    if raw:  # loaddata: the records are written as they are
        mark_out_of_date()
        return
    if not _up_to_date_for_write():
        return
    touched = _touched_by(instance)
    if touched == _REBUILD:
        setattr(instance, _WRITE, _REBUILD)
        return
    changes = Changes()
    _add_touched(changes, touched, -1)
    setattr(instance, _WRITE, (touched, changes))


def _after_write(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    write = instance.__dict__.pop(_WRITE, None)
    if write is None:
        return
    if write == _REBUILD:
        rebuild()
        return
    touched, changes = write
    if isinstance(instance, Post) and kwargs.get("created"):
        touched.posts.add(instance.pk)
    _add_touched(changes, touched, 1)
    _apply(changes)
    _mark_kept()


def connect() -> None:
    """Keep the changes up to date on every save and delete of a post, assignment or role."""
    for model in WATCHED:
        uid = f"workforce.timeline.{model.__name__}"
        pre_save.connect(_before_write, sender=model, dispatch_uid=f"{uid}.pre_save")
        post_save.connect(_after_write, sender=model, dispatch_uid=f"{uid}.post_save")
        pre_delete.connect(_before_write, sender=model, dispatch_uid=f"{uid}.pre_delete")
        post_delete.connect(_after_write, sender=model, dispatch_uid=f"{uid}.post_delete")


# --- Rebuilding in the background ------------------------------------------------------------

REBUILD_QUEUED = "establishment-changes:rebuild-queued"
REBUILD_QUEUED_SECONDS = 10 * 60  # a rebuild lost with its worker is queued again after this


@task()
def rebuild_establishment_changes() -> None:
    """Rebuild the kept changes from the records (queued by ``request_rebuild``). Safe to run
    any number of times: each run describes the records as they are when it locks them."""
    cache.delete(REBUILD_QUEUED)
    rebuild()


def request_rebuild() -> None:
    """Queue a rebuild of the kept changes once the current transaction (if any) is done,
    unless one is queued already (the shared cache remembers it for every process). Until
    it has run, the figures are worked out from the records."""
    transaction.on_commit(_queue_rebuild)


def _queue_rebuild() -> None:
    if not cache.add(REBUILD_QUEUED, True, REBUILD_QUEUED_SECONDS):
        return
    try:
        rebuild_establishment_changes.enqueue()
    except Exception:  # noqa: BLE001 - out of date until the next read asks again
        logger.exception("Could not queue the rebuild of the kept establishment changes")
        cache.delete(REBUILD_QUEUED)


# --- Reading them ---------------------------------------------------------------------------


def up_to_date() -> bool:
    """Return whether the kept changes describe the records as they are (one query)."""
    state = EstablishmentChangesState.objects.filter(pk=STATE).values_list("changes", "kept").first()
    if state is None:  # emptied (a test database flushed): up to date while there are no posts
        return not Post.objects.exists()
    return state[0] == state[1]


def figures_on(days: tuple[dt.date, ...]) -> dict[tuple[int, str], list[tuple[int, ...]]] | None:
    """Return {(role, reason): [the COLUMNS on each of the sorted ``days``]} from the kept
    changes, or None if they are out of date (two queries); a rebuild is then queued."""
    if not up_to_date():
        request_rebuild()
        return None
    # Each change counts from the first of the days on or after it: summed by that day, then
    # added up day by day.
    first_day_counted = Case(
        *(When(day__lte=day, then=Value(i)) for i, day in enumerate(days)), output_field=IntegerField()
    )
    sums = (
        EstablishmentChange.objects.filter(day__lte=days[-1])
        .order_by()
        .values_list("role", "reason", first_day_counted)
        .annotate(*(Sum(column) for column in COLUMNS))
    )
    figures: dict[tuple[int, str], list[list[int]]] = defaultdict(lambda: [[0] * len(COLUMNS) for _ in days])
    for role, reason, first, *amounts in sums:
        for i in range(first, len(days)):
            on_day = figures[role, reason][i]
            for column, amount in enumerate(amounts):
                on_day[column] += int(amount or 0)
    return {group: [tuple(on_day) for on_day in values] for group, values in figures.items()}
