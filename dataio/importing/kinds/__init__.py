"""The kinds of file an import reads, in the order they are applied (each may name records
the ones before it create)."""

from dataio.importing.kinds.absences import Absences
from dataio.importing.kinds.agency import InvoiceLines, Suppliers
from dataio.importing.kinds.applications import Applications, Campaigns
from dataio.importing.kinds.assignments import Assignments
from dataio.importing.kinds.base import Kind
from dataio.importing.kinds.establishment import Posts, Teams
from dataio.importing.kinds.leavers import Leavers
from dataio.importing.kinds.workers import Workers

KINDS: list[Kind] = [
    Teams(),
    Posts(),
    Workers(),
    Suppliers(),
    Assignments(),
    InvoiceLines(),
    Absences(),
    Leavers(),
    Campaigns(),
    Applications(),
]
