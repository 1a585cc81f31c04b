"""The records an import reads and writes, found by the references the files use.

Each list is read once, when an import first needs it, and kept up to date as rows are
saved, so a posts file can name a team created by the teams file in the same import
and the number of queries does not grow with the number of references.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model

from dataio.importing.report import RowProblem
from workforce.models import Post, Role, ServiceArea, Team, Worker


class Lookup:
    """Records of one kind by their reference, compared without regard to case."""

    def __init__(self, load: Callable[[], Iterable[Any]], *keys: Callable[[Any], str]) -> None:
        self._load = load
        self._keys = keys
        self._records: dict[str, Any] | None = None

    def _all(self) -> dict[str, Any]:
        if self._records is None:
            self._records = {}
            for record in self._load():
                self.add(record)
        return self._records

    def get(self, reference: str) -> Any | None:
        return self._all().get(reference.strip().casefold())

    def add(self, record: Any) -> None:
        records = self._records if self._records is not None else self._all()
        for key in self._keys:
            records[key(record).strip().casefold()] = record

    def names(self) -> list[str]:
        return sorted({str(record) for record in self._all().values()})


class Context:
    """One import's lookups, and the references whose own rows could not be imported."""

    def __init__(self, *, user: Any = None) -> None:
        self.user = user
        self.service_areas = Lookup(ServiceArea.objects.all, lambda area: area.name)
        self.teams = Lookup(Team.objects.select_related("service_area").all, lambda team: team.name)
        self.roles = Lookup(Role.objects.all, lambda role: role.name, lambda role: role.code)
        self.posts = Lookup(Post.objects.select_related("team", "role").all, lambda post: post.reference)
        self.workers = Lookup(Worker.objects.all, lambda worker: worker.staff_reference)
        self.users = Lookup(get_user_model().objects.all, lambda user: user.get_username())
        self._failed: dict[str, dict[str, str]] = defaultdict(dict)
        # Anything a later kind of file needs to carry between rows (leavers, applications).
        self.extra: dict[str, Any] = {}

    def mark_failed(self, kind: str, reference: str, where: str) -> None:
        """Remember that the row for ``reference`` in a ``kind`` file (at ``where``) was not imported."""
        self._failed[kind].setdefault(reference.strip().casefold(), where)

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
