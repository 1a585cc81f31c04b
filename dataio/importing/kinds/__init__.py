"""The kinds of file an import reads, in the order they are applied (each may name records
the ones before it create)."""

from dataio.importing.kinds.absences import Absences
from dataio.importing.kinds.agency import InvoiceLines, Suppliers
from dataio.importing.kinds.applications import Applications, Campaigns
from dataio.importing.kinds.assignments import Assignments
from dataio.importing.kinds.base import Kind
from dataio.importing.kinds.caseloads import Caseloads
from dataio.importing.kinds.cohorts import Cohorts
from dataio.importing.kinds.comparators import Comparators
from dataio.importing.kinds.establishment import Posts, Teams
from dataio.importing.kinds.exit_conversations import ExitConversations
from dataio.importing.kinds.leavers import Leavers
from dataio.importing.kinds.starts import Starts
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
    ExitConversations(),
    Campaigns(),
    Applications(),
    Starts(),
    Caseloads(),  # after every kind that starts or ends an assignment: the worker's posts are checked
    Comparators(),
    Cohorts(),
]
