"""The records an import reads and writes, found by the references the files use.

Small lists (service areas, roles, users) are read whole, once, when an import first
needs them. Teams, posts and workers, which run to thousands, are read by the names and
references the files use (``Lookup.fetch``, a query per few thousand references), so
what an import reads does not grow with the database. Every list is kept up to date as
rows are saved, so a posts file can name a team created by the teams file in the same
import. References are compared without regard to case, as a person would.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower, Trim

from dataio.importing.report import RowProblem
from workforce.models import Post, Role, ServiceArea, Team, Worker

CHUNK = 5000  # references (or keys) in one query's IN list


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """Yield ``items`` a few thousand at a time (one query each)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _key(reference: str) -> str:
    return reference.strip().casefold()


class OctetLength(models.Func):
    """The length of a text in bytes (UTF-8): more than its length in characters if any is not ASCII."""

    function = "OCTET_LENGTH"
    output_field = models.IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="LENGTH(CAST(%(expressions)s AS BLOB))", **extra)


def named(queryset: models.QuerySet, field: str, keys: Sequence[str]) -> Iterator[Any]:
    """Yield the records of ``queryset`` whose ``field``, trimmed and compared without case, is
    one of ``keys`` (each already trimmed and case-folded), in the queryset's order.

    The database compares ASCII text (its LOWER is reliable there on every backend); text with
    any other character is compared here with Python's case folding, as ``Lookup`` does, so
    "Équipe" still finds "ÉQUIPE". One query per few thousand keys.
    """
    folded = queryset.annotate(
        import_key=Lower(Trim(field)), import_chars=Length(field), import_bytes=OctetLength(field)
    )
    unusual = ~Q(import_chars=F("import_bytes"))  # some character is not ASCII
    for chunk in chunks(sorted(keys)):
        wanted = set(chunk)
        for record in folded.filter(Q(import_key__in=[key for key in chunk if key.isascii()]) | unusual):
            if _key(getattr(record, field)) in wanted:
                yield record


class Lookup:
    """Records of one kind by their reference, compared without regard to case.

    With ``field`` (the model field the reference is in), records are read only for the
    references asked for: ``fetch`` reads many in a few queries, and ``get`` reads one
    not fetched before. Without it, every record is read the first time one is wanted.
    """

    def __init__(
        self, load: Callable[[], Iterable[Any]], *keys: Callable[[Any], str], field: str | None = None
    ) -> None:
        self._load = load
        self._keys = keys
        self._field = field
        self._records: dict[str, Any] = {}
        self._complete = False  # every record has been read
        self._asked: set[str] = set()  # the references read (found or not), with ``field``

    def _all(self) -> dict[str, Any]:
        if not self._complete:
            self._complete = True
            for record in self._load():
                self.add(record)
        return self._records

    def fetch(self, references: Iterable[str]) -> None:
        """Read the records named by ``references`` that have not been read yet."""
        if self._field is None or self._complete:
            self._all()
            return
        wanted = {_key(reference) for reference in references if reference} - self._asked
        if not wanted:
            return
        self._asked |= wanted
        for record in named(self._load(), self._field, sorted(wanted)):
            self.add(record)

    def get(self, reference: str) -> Any | None:
        """Return the record ``reference`` names, or None."""
        key = _key(reference)
        if self._field is None:
            return self._all().get(key)
        if key not in self._records and key not in self._asked:
            self.fetch([reference])
        return self._records.get(key)

    def add(self, record: Any) -> None:
        """Remember ``record`` (read, or just created by the import) under its references."""
        if self._field is None:
            self._all()
        for key in self._keys:
            self._records[_key(key(record))] = record

    def discard(self, reference: str) -> None:
        """Forget the record ``reference`` names (one the import could not save after all)."""
        record = self._records.get(_key(reference))
        for key, held in list(self._records.items()):
            if held is record:
                del self._records[key]

    def names(self) -> list[str]:
        return sorted({str(record) for record in self._all().values()})


class Context:
    """One import's lookups, and the references whose own rows could not be imported."""

    def __init__(self, *, user: Any = None) -> None:
        self.user = user
        self.service_areas = Lookup(ServiceArea.objects.all, lambda area: area.name)
        self.teams = Lookup(
            Team.objects.select_related("service_area").all, lambda team: team.name, field="name"
        )
        self.roles = Lookup(Role.objects.all, lambda role: role.name, lambda role: role.code)
        self.posts = Lookup(
            Post.objects.select_related("team", "role").all, lambda post: post.reference, field="reference"
        )
        self.workers = Lookup(
            Worker.objects.all, lambda worker: worker.staff_reference, field="staff_reference"
        )
        self.users = Lookup(get_user_model().objects.all, lambda user: user.get_username())
        self._failed: dict[str, dict[str, str]] = defaultdict(dict)
        # Anything a later kind of file needs to carry between rows (leavers, applications).
        self.extra: dict[str, Any] = {}
        # The row being applied (set by the engine), and the records staged to be written
        # together at the end of a kind (``dataio.importing.batch``), by model.
        self.row: Any = None
        self.batches: dict[type[models.Model], Any] = {}
        self.created: dict[type[models.Model], set[Any]] = defaultdict(set)  # keys, by model

    def recorded_before(self, model: type[models.Model], keys: Iterable[Any]) -> list[Any]:
        """Return, in order, the primary keys among ``keys`` of records that were there before
        this import (not created by a batch of it), which may have others attached."""
        return sorted(key for key in keys if key not in self.created[model])

    @property
    def history_user(self) -> Any:
        """Return the user to name in the history of the records the import writes, or None."""
        return self.user if getattr(self.user, "is_authenticated", False) else None

    def mark_failed(self, kind: str, reference: str, where: str) -> None:
        """Remember that the row for ``reference`` in a ``kind`` file (at ``where``) was not imported."""
        self._failed[kind].setdefault(reference.strip().casefold(), where)

    def failed_at(self, kind: str, reference: str) -> str | None:
        """Return where the row for ``reference`` in a ``kind`` file failed, if it did."""
        return self._failed[kind].get(reference.strip().casefold())

    def find(self, lookup: Lookup, reference: str, *, kind: str, what: str, column: str) -> Any:
        """Return the record ``reference`` names, or raise a problem saying why there is none."""
        found = lookup.get(reference)
        if found is not None:
            return found
        where = self._failed[kind].get(reference.strip().casefold())
        if where:
            raise RowProblem(
                f"{what} '{reference}' is not imported because its own row has problems ({where})", column
            )
        raise RowProblem(
            f"there is no {what} '{reference}' (it is neither already recorded nor in a {kind} file of "
            "this import)",
            column,
        )
