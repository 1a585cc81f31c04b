"""The establishment: service areas, teams, roles, posts, workers, assignments, absences,
and the changes by day kept from them.

Each rule of the establishment lives in exactly one ``clean()`` (or, for rules that span
rows, in ``workforce.rules``), so the admin, the services, the importer and the demo
loader all enforce it the same way.
"""

# Order matters: models register in import order, and a test database is restored in that
# order. The kept changes' state must load after the posts, whose triggers count writes.
from workforce.models.establishment import (
    EMPLOYEE_CONTRACTS,
    FTE_FIELD,
    Absence,
    AbsenceReason,
    AgencyReason,
    Assignment,
    AssignmentQuerySet,
    CfkssStatus,
    Contract,
    CoolOffDeclaration,
    CoolOffException,
    Ethnicity,
    Funding,
    Gender,
    OrgRole,
    Post,
    PostQuerySet,
    QualificationLevel,
    Role,
    ServiceArea,
    StartOrigin,
    Team,
    Worker,
    swe_number_validator,
    validate_fte,
)
from workforce.models.establishment_changes import EstablishmentChange, EstablishmentChangesState

# isort: split
# Caseloads and comparators (a worker's cases on a date; published figures to compare with).
from workforce.models.caseloads import (
    CASE_TYPES,
    COMPARATOR_FIGURES,
    MAX_CASES,
    Caseload,
    Comparator,
    ComparatorArea,
)

# isort: split
# The agency records point at roles, workers and assignments: registered after them.
from workforce.models.agency import (
    PROJECT_SUPPLY,
    InvoiceLine,
    JobType,
    PermanentCost,
    PriceCap,
    Supplier,
    SupplyRoute,
    SupplyType,
)

__all__ = [
    "Absence",
    "AbsenceReason",
    "AgencyReason",
    "Assignment",
    "AssignmentQuerySet",
    "CfkssStatus",
    "Contract",
    "CoolOffDeclaration",
    "CoolOffException",
    "EMPLOYEE_CONTRACTS",
    "EstablishmentChange",
    "EstablishmentChangesState",
    "Ethnicity",
    "FTE_FIELD",
    "Funding",
    "Gender",
    "InvoiceLine",
    "JobType",
    "OrgRole",
    "PROJECT_SUPPLY",
    "PermanentCost",
    "Post",
    "PostQuerySet",
    "PriceCap",
    "QualificationLevel",
    "Role",
    "ServiceArea",
    "StartOrigin",
    "Supplier",
    "SupplyRoute",
    "SupplyType",
    "Team",
    "Worker",
    "swe_number_validator",
    "validate_fte",
    # caseloads
    "CASE_TYPES",
    "COMPARATOR_FIGURES",
    "MAX_CASES",
    "Caseload",
    "Comparator",
    "ComparatorArea",
]
