"""The kinds of file an import reads, in the order they are applied (each may name records
the ones before it create)."""

from dataio.importing.kinds.applications import Applications, Campaigns
from dataio.importing.kinds.base import Kind
from dataio.importing.kinds.establishment import Absences, Assignments, Posts, Teams, Workers
from dataio.importing.kinds.leavers import Leavers

KINDS: list[Kind] = [
    Teams(),
    Posts(),
    Workers(),
    Assignments(),
    Absences(),
    Leavers(),
    Campaigns(),
    Applications(),
]
