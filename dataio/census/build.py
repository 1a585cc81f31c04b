"""The national children's social work workforce census return, built from the records.

``build_census_return`` reads the year to 30 September and returns plain data: one
``CensusWorker`` per ``CSWWWorker`` the return will hold, the council-level vacancy
figures, and every problem that would make the return wrong. The XML is written from
it by ``dataio.census.xml``; nothing here formats anything.

Who is in the return (children-and-family social work roles only, ``Role.in_scope``):
- each employee's spell of continuous employment in such roles that overlaps the year:
  in post on 30 September, or started, or left during the year. A worker who left and
  came back within the year has two records, as the census guide asks;
- each agency worker in such a role on 30 September (the census counts agency
  workers at the reference date only).

The figures match the product's own: the FTE30 of employee records add up to S, and of
agency records to A, on 30 September (``workforce.selectors.establishment_on``); the FTE
of records with a RoleEndDate add up to L for the year (``leavers.selectors.leavers_fte``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.models import Q

from foundation.dates import long_date
from foundation.periods import add_months, census_year
from leavers.models import Leaver, LeaverDestination, ReasonLeave
from workforce.analysis import days_lost_within
from workforce.models import EMPLOYEE_CONTRACTS, Absence, AbsenceReason, Assignment, CfkssStatus
from workforce.selectors import establishment_on
from workforce.selectors.caseloads import CaseHolder, case_holders_on, stale_days_setting
from workforce.selectors.cover import agency_covering_vacancies_headcount

ZERO = Decimal("0")
TWO_PLACES = Decimal("0.01")
SWE_PATTERN = re.compile(r"^[A-Za-z]{2}\d{10}$")
LA_CODE_PATTERN = re.compile(r"^\d{3}$")


@dataclass(frozen=True)
class CensusProblem:
    """Something in the records that would make the return wrong (``blocking``) or thinner."""

    staff_reference: str
    item: str  # the census item affected, e.g. "SWENo"
    message: str
    blocking: bool = True

    def __str__(self) -> str:
        return f"{self.staff_reference}: {self.item}: {self.message}"


@dataclass(frozen=True)
class CensusWorker:
    """One ``CSWWWorker`` record. ``staff_reference`` is for the council's eyes; it is not written."""

    staff_reference: str
    agency: bool
    swe_number: str
    fte: Decimal | None
    qualifying_institution: str
    org_role: int | None
    role_start: dt.date | None
    birth_date: dt.date | None = None
    gender: str = ""
    ethnicity: str = ""
    qualification_level: str = ""
    step_up_graduate: bool | None = None
    start_origin: int | None = None
    role_end: dt.date | None = None
    leaver_destination: int | None = None
    reason_leave: int | None = None
    fte30: Decimal | None = None
    working_days_lost: Decimal | None = None
    frontline_graduate: bool | None = None
    absent_30: bool | None = None
    absence_reasons: tuple[str, ...] = ()
    cfkss_status: int | None = None
    cases30: int | None = None

    @property
    def leaver(self) -> bool:
        return self.role_end is not None


@dataclass(frozen=True)
class Vacancies:
    """``LALevelVacancies``: establishment figures on 30 September.

    ``agency_fte`` and ``agency_headcount`` are the agency workers **covering vacancies** (an
    agency assignment for a vacancy in an establishment post), as DfE publishes "agency
    workers covering vacancies" from them: every agency worker is already in the per-worker
    records with ``AgencyWorker`` 1.
    """

    vacancy_fte: Decimal
    agency_fte: Decimal
    agency_headcount: int


@dataclass(frozen=True)
class CensusReturn:
    """The whole return for one council and one census year, ready to be written."""

    year: int
    la_code: str
    start: dt.date
    reference_date: dt.date
    vacancies: Vacancies
    workers: tuple[CensusWorker, ...]
    problems: tuple[CensusProblem, ...] = field(default=())

    @property
    def blocking_problems(self) -> list[CensusProblem]:
        return [problem for problem in self.problems if problem.blocking]

    @property
    def warnings(self) -> list[CensusProblem]:
        return [problem for problem in self.problems if not problem.blocking]


# The records are read as plain rows (``values_list``), not model instances: at national
# scale the return reads ~50,000 assignments, ~100,000 absences and the leavers, and
# building a model object for each was most of its time.


class _WorkerRow(NamedTuple):
    """The worker's fields the return uses."""

    pk: int
    staff_reference: str
    swe_number: str
    qualifying_institution: str
    birth_date: dt.date | None
    gender: str
    ethnicity: str
    qualification_level: str
    step_up_graduate: bool | None
    start_origin: int | None
    frontline_graduate: bool | None
    cfkss_status: int | None
    date_qualified: dt.date | None


WORKER_FIELDS = tuple(f"worker__{name}" for name in _WorkerRow._fields)


class _AssignmentRow(NamedTuple):
    """One assignment, with the census OrgRole of its post's role."""

    pk: int
    start: dt.date
    end: dt.date | None
    fte: Decimal
    contract: str
    org_role: int


class _AbsenceRow(NamedTuple):
    reason: str
    start: dt.date
    end: dt.date | None
    working_days_lost: Decimal


class _LeaverRow(NamedTuple):
    """One leaving: its census reason, FTE and, if an exit conversation is recorded, destination."""

    census_reason: int
    fte_at_leaving: Decimal
    has_conversation: bool
    census_destination: int | None


@dataclass
class _Spell:
    """A run of one worker's assignments (employee or agency) without a break."""

    start: dt.date
    end: dt.date | None
    assignments: list[_AssignmentRow]

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    def active_on(self, day: dt.date) -> list[_AssignmentRow]:
        return [a for a in self.assignments if a.start <= day and (a.end is None or a.end >= day)]


def _spells(assignments: list[_AssignmentRow], breaks: set[dt.date]) -> list[_Spell]:
    """Return ``assignments`` grouped into continuous spells; a spell also ends on a leaving date."""
    spells: list[_Spell] = []
    for assignment in sorted(assignments, key=lambda a: (a.start, a.pk)):
        last = spells[-1] if spells else None
        if (
            last is not None
            and (last.end is None or assignment.start <= last.end + dt.timedelta(days=1))
            and not (last.end in breaks and assignment.start > last.end)
        ):
            last.assignments.append(assignment)
            if last.end is not None:
                last.end = None if assignment.end is None else max(last.end, assignment.end)
            continue
        spells.append(_Spell(assignment.start, assignment.end, [assignment]))
    return spells


def _total_fte(assignments: list[_AssignmentRow]) -> Decimal:
    return sum((a.fte for a in assignments), ZERO)


def _senior_role(assignments: list[_AssignmentRow]) -> int | None:
    """Return the census OrgRole of the most senior of ``assignments`` (1 is the most senior)."""
    return min((a.org_role for a in assignments), default=None)


def _sickness_days(absences: list[_AbsenceRow], start: dt.date, end: dt.date) -> Decimal:
    """Return working days lost to sickness from ``start`` to ``end``.

    Each absence counts as the product's absence rate counts it
    (``workforce.analysis.days_lost_within``).
    """
    total = sum(
        (
            days_lost_within(
                days_lost=absence.working_days_lost,
                absence_start=absence.start,
                absence_end=absence.end,
                start=start,
                end=end,
            )
            for absence in absences
            if absence.reason == AbsenceReason.SIC
        ),
        ZERO,
    )
    return total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _cfkss(worker: _WorkerRow, day: dt.date) -> int | None:
    """Return the CFKSS status: ASYE in the first 12 months after qualifying, else as recorded."""
    qualified = worker.date_qualified
    if qualified is not None and add_months(day, -12) < qualified <= day:
        return CfkssStatus.ASYE
    return worker.cfkss_status


def build_census_return(*, year: int, la_code: str) -> CensusReturn:
    """Return the census return for the year to 30 September ``year`` for council ``la_code``.

    Fifteen queries, whatever the number of workers: seven for the establishment on 30
    September, one for the agency workers covering vacancies, four for the case holders and
    their caseloads then, and one each for assignments, absences and leavers.
    """
    start, day = census_year(year)
    snapshot = establishment_on(day)
    vacancies = Vacancies(
        vacancy_fte=snapshot.total.vacancy_fte,
        agency_fte=snapshot.total.agency_covering_vacancies_fte,
        agency_headcount=agency_covering_vacancies_headcount(day),
    )
    case_holders = {holder.worker_id: holder for holder in case_holders_on(day)}

    in_scope = Assignment.objects.filter(post__role__in_scope=True)
    in_year = in_scope.overlapping(start, day)
    people: dict[int, _WorkerRow] = {}
    by_worker: dict[int, list[_AssignmentRow]] = defaultdict(list)
    for row in (
        in_scope.filter(worker__in=in_year.values("worker_id"))
        .order_by("worker_id", "start", "pk")
        .values_list(*WORKER_FIELDS, "pk", "start", "end", "fte", "contract", "post__role__org_role")
    ):
        worker = _WorkerRow(*row[: len(WORKER_FIELDS)])
        people.setdefault(worker.pk, worker)
        by_worker[worker.pk].append(_AssignmentRow(*row[len(WORKER_FIELDS) :]))

    absences: dict[int, list[_AbsenceRow]] = defaultdict(list)
    for worker_id, *absence in (
        Absence.objects.filter(
            Q(end__isnull=True) | Q(end__gte=start), start__lte=day, worker__in=in_year.values("worker_id")
        )
        .order_by("start", "pk")
        .values_list("worker_id", "reason", "start", "end", "working_days_lost")
    ):
        absences[worker_id].append(_AbsenceRow(*absence))

    leavers: dict[int, dict[dt.date, _LeaverRow]] = defaultdict(dict)
    for worker_id, leaving_date, *leaver in Leaver.objects.filter(
        worker__in=in_year.values("worker_id")
    ).values_list(
        "worker_id",
        "leaving_date",
        "category__census_reason",
        "fte_at_leaving",
        "exit_conversation__pk",
        "exit_conversation__destination__census_destination",
    ):
        census_reason, fte_at_leaving, conversation_pk, census_destination = leaver
        leavers[worker_id][leaving_date] = _LeaverRow(
            census_reason, fte_at_leaving, conversation_pk is not None, census_destination
        )

    workers: list[CensusWorker] = []
    problems: list[CensusProblem] = []
    for worker_id, worker_assignments in by_worker.items():
        records, found = _records_for(
            people[worker_id],
            worker_assignments,
            absences[worker_id],
            leavers[worker_id],
            start=start,
            day=day,
            case_holder=case_holders.get(worker_id),
        )
        workers += records
        problems += found
    workers.sort(key=lambda record: (record.agency, record.staff_reference, record.role_start or day))
    problems += _shared_numbers(workers)
    if not LA_CODE_PATTERN.match(la_code or ""):
        problems.insert(0, CensusProblem("(council)", "LEA", f"'{la_code}' is not a three-digit LA code."))
    if not workers:
        problems.append(
            CensusProblem(
                "(council)", "CSWWWorker", "nobody was in a children's social work role in the year."
            )
        )
    return CensusReturn(
        year=year,
        la_code=la_code,
        start=start,
        reference_date=day,
        vacancies=vacancies,
        workers=tuple(workers),
        problems=tuple(problems),
    )


def _records_for(
    worker: _WorkerRow,
    assignments: list[_AssignmentRow],
    absences: list[_AbsenceRow],
    leavings: dict[dt.date, _LeaverRow],
    *,
    start: dt.date,
    day: dt.date,
    case_holder: CaseHolder | None = None,
) -> tuple[list[CensusWorker], list[CensusProblem]]:
    """Return one worker's census records (a record per spell in the year) and their problems.

    A case holder on 30 September (``workforce.selectors.caseloads``) has ``Cases30`` on the
    record of their employment then (or, if they were an agency worker then, on that one).
    """
    records: list[CensusWorker] = []
    problems: list[CensusProblem] = []
    reference = worker.staff_reference
    employed = [a for a in assignments if a.contract in EMPLOYEE_CONTRACTS]
    agency = [a for a in assignments if a.contract not in EMPLOYEE_CONTRACTS]

    def problem(item: str, message: str, *, blocking: bool = True) -> None:
        problems.append(CensusProblem(reference, item, message, blocking))

    swe = (worker.swe_number or "").strip()
    if not swe:
        problem("SWENo", "no Social Work England number is recorded.")
    elif not SWE_PATTERN.match(swe):
        problem("SWENo", f"'{swe}' is not two letters and ten digits.")

    for spell in _spells(employed, set(leavings)):
        if spell.end is not None and spell.end < start or spell.start > day:
            continue
        in_post = spell.covers(day)
        left = spell.end is not None and spell.end <= day
        leaver = leavings.get(spell.end) if left else None
        reference_day = day if in_post else spell.end
        on_day = spell.active_on(reference_day)
        fte30 = _total_fte(spell.active_on(day)) if in_post else None
        reason = destination = None
        fte = fte30
        if left:
            if leaver is None:
                problem(
                    "ReasonLeave",
                    f"employment in a children's social work role ended on {long_date(spell.end)} but no "
                    "leaver is recorded, so there is no reason for leaving (record the leaver).",
                )
                reason, fte = ReasonLeave.NOT_YET_COLLECTED, _total_fte(on_day)
                destination = LeaverDestination.NOT_YET_COLLECTED
            else:
                reason, fte = leaver.census_reason, leaver.fte_at_leaving
                if reason == ReasonLeave.NOT_YET_COLLECTED:
                    problem(
                        "ReasonLeave",
                        f"the reason for leaving on {long_date(spell.end)} is not yet collected.",
                    )
                if not leaver.has_conversation:
                    destination = LeaverDestination.NOT_YET_COLLECTED
                    problem(
                        "LeaverDestination",
                        "no exit conversation is recorded; the destination is returned as "
                        "'not yet collected'.",
                        blocking=False,
                    )
                else:
                    destination = leaver.census_destination
        if not fte:
            problem("FTE", f"no FTE is recorded for the spell from {long_date(spell.start)}.")
        starter = spell.start >= start
        if starter and worker.start_origin is None:
            problem(
                "StartOrigin",
                f"started on {long_date(spell.start)} but where they came from is not recorded.",
            )
        if not (worker.qualifying_institution or "").strip():
            problem("QualInst", "the qualifying institution is not recorded.")
        for item, value, label in (
            ("PersonBirthDate", worker.birth_date, "date of birth"),
            ("GenderCurrent", worker.gender, "gender"),
            ("Ethnicity", worker.ethnicity, "ethnicity"),
        ):
            if not value:
                problem(item, f"the {label} is not recorded; the item is left out.", blocking=False)
        away = [a for a in absences if a.start <= day and (a.end is None or a.end >= day)] if in_post else []
        records.append(
            CensusWorker(
                staff_reference=reference,
                agency=False,
                swe_number=swe,
                fte=fte,
                qualifying_institution=(worker.qualifying_institution or "").strip(),
                org_role=_senior_role(on_day or spell.assignments),
                role_start=spell.start,
                birth_date=worker.birth_date,
                gender=worker.gender,
                ethnicity=worker.ethnicity,
                qualification_level=worker.qualification_level,
                step_up_graduate=worker.step_up_graduate,
                start_origin=worker.start_origin,
                role_end=spell.end if left else None,
                leaver_destination=destination,
                reason_leave=reason,
                fte30=fte30,
                working_days_lost=_sickness_days(
                    absences, max(start, spell.start), min(day, spell.end or day)
                ),
                frontline_graduate=worker.frontline_graduate,
                absent_30=bool(away) if in_post else None,
                absence_reasons=tuple(sorted({a.reason for a in away})),
                cfkss_status=_cfkss(worker, reference_day),
                cases30=case_holder.cases if in_post and case_holder is not None else None,
            )
        )

    employed_then = any(record.fte30 is not None for record in records)
    on_census_day = [a for a in agency if a.start <= day and (a.end is None or a.end >= day)]
    if on_census_day:
        spell = next(s for s in _spells(agency, set()) if s.covers(day))
        records.append(
            CensusWorker(
                staff_reference=reference,
                agency=True,
                swe_number=swe,
                fte=_total_fte(on_census_day),
                qualifying_institution=(worker.qualifying_institution or "").strip(),
                org_role=_senior_role(on_census_day),
                role_start=spell.start,
                birth_date=worker.birth_date,
                gender=worker.gender,
                ethnicity=worker.ethnicity,
                qualification_level=worker.qualification_level,
                fte30=_total_fte(on_census_day),
                cases30=case_holder.cases if case_holder is not None and not employed_then else None,
            )
        )
    if not records:
        return [], []
    if case_holder is not None and case_holder.cases is None:
        problem(
            "Cases30",
            f"holds a case-holding post on {long_date(day)} but no caseload is recorded in the "
            f"{stale_days_setting()} days to it (import the case management extract for the date).",
        )
    return records, list(dict.fromkeys(problems))  # a rejoiner's two records share their gaps


def _shared_numbers(workers: list[CensusWorker]) -> list[CensusProblem]:
    """Return a problem for each Social Work England number recorded for more than one worker."""
    holders: dict[str, set[str]] = defaultdict(set)
    for record in workers:
        if record.swe_number:
            holders[record.swe_number.upper()].add(record.staff_reference)
    return [
        CensusProblem(
            reference,
            "SWENo",
            f"the Social Work England number {number} is also recorded for "
            f"{', '.join(sorted(references - {reference}))}.",
        )
        for number, references in sorted(holders.items())
        if len(references) > 1
        for reference in sorted(references)
    ]


def writable(census: CensusReturn) -> tuple[CensusReturn, list[CensusWorker]]:
    """Return ``census`` without the records the schema cannot hold (no valid Social Work England
    number), and those records: an incomplete return leaves them out rather than be refused whole."""
    kept: list[CensusWorker] = []
    left_out: list[CensusWorker] = []
    for record in census.workers:  # one pass: comparing records with each other is quadratic
        (kept if SWE_PATTERN.match(record.swe_number) else left_out).append(record)
    return replace(census, workers=tuple(kept)), left_out
