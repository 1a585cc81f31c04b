"""Reads of agency engagements with the national rules checked for each.

``agency_engagements`` returns every agency assignment in a window (in scope) with its
facts and the six rules' results, in three queries whatever the number: the assignments
with their worker, post, role and supplier; the price caps; and the permanent roles the
workers left in this council. The leavers records belong to a higher floor, so they are
asked for with a signal (``departures_wanted``) that the leavers app answers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import QuerySet
from django.dispatch import Signal

from foundation.measures import hourly_charge_rate
from workforce import agency_rules
from workforce.agency_rules import RULES, Cap, Departure, Facts, RuleResult, Status
from workforce.models import AgencyReason, Assignment, PriceCap, SupplyType
from workforce.scopes import Scope
from workforce.selectors.base import fte as _fte
from workforce.selectors.base import raw_rows

# Sent with ``workers``, a queryset of worker keys; each receiver returns {worker key: [Departure]}:
# the permanent social work roles those workers left in this council (leavers.agency answers).
departures_wanted = Signal()


def _date(value: object) -> dt.date | None:
    """Return a date as a plain row gives it (SQLite: text) as a date."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _money(value: object) -> Decimal | None:
    """Return an amount as a plain row gives it (SQLite: a float) as a Decimal of two places."""
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _flag(value: object) -> bool | None:
    return None if value is None else bool(value)


def _converted(row: tuple) -> tuple:
    """Return a plain row of ``FIELDS`` with its dates, amounts, flags and FTE as Python values:
    what Django's converters give, at a fraction of their cost for thousands of rows."""
    values = list(row)
    for index, convert in CONVERSIONS:
        values[index] = convert(values[index])
    return tuple(values)


FIELDS = (
    "pk",
    "worker_id",
    "worker__staff_reference",
    "worker__first_name",
    "worker__last_name",
    "worker__swe_number",
    "worker__date_qualified",
    "post__reference",
    "post__team_id",
    "post__team__name",
    "post__role_id",
    "post__role__name",
    "post__role__job_type_id",
    "post__role__job_type__name",
    "supplier_id",
    "supplier__name",
    "supplier__supply_type",
    "agency_reason",
    "start",
    "end",
    "fte",
    "pay_rate",
    "employer_ni",
    "apprenticeship_levy",
    "agency_margin",
    "hours_per_week",
    "weekly_charge",
    "notice_weeks",
    "la_experience_months",
    "reference_received",
    "reference_given",
    "cool_off_declaration",
    "previous_role_left_on",
    "cool_off_exception",
    "dcs_sign_off_by",
    "dcs_sign_off_on",
    "ceo_sign_off_by",
    "ceo_sign_off_on",
)
DATES = {
    "worker__date_qualified",
    "start",
    "end",
    "previous_role_left_on",
    "dcs_sign_off_on",
    "ceo_sign_off_on",
}
MONEY = {"pay_rate", "employer_ni", "apprenticeship_levy", "agency_margin", "hours_per_week", "weekly_charge"}
FLAGS = {"reference_received", "reference_given"}
# (position in FIELDS, converter) for the columns a plain row gives otherwise than Python would.
CONVERSIONS = tuple(
    (index, _date if name in DATES else _money if name in MONEY else _flag if name in FLAGS else _fte)
    for index, name in enumerate(FIELDS)
    if name in DATES | MONEY | FLAGS | {"fte"}
)
REASON_LABELS = dict(AgencyReason.choices)
SUPPLY_LABELS = dict(SupplyType.choices)


class Engagement(NamedTuple):
    """One agency assignment with the six rules' results (``results``, in the order of ``RULES``)."""

    pk: int
    worker_id: int
    staff_reference: str
    worker_name: str
    swe_number: str
    post_reference: str
    team_id: int
    team: str
    role_id: int
    role: str
    job_type: str
    supplier_id: int | None
    supplier: str
    supply_type: str
    reason: str
    start: dt.date
    end: dt.date | None
    fte: Decimal
    agency_margin: Decimal | None
    hours_per_week: Decimal | None
    facts: Facts
    results: tuple[RuleResult, ...]

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)

    @property
    def supply_label(self) -> str:
        return SUPPLY_LABELS.get(self.supply_type, "")

    @property
    def is_project_supply(self) -> bool:
        return self.supply_type in (SupplyType.PROJECT_TEAM, SupplyType.PACKAGED_SERVICE)

    @property
    def pay_rate(self) -> Decimal | None:
        return self.facts.pay_rate

    @property
    def weekly_charge(self) -> Decimal | None:
        return self.facts.weekly_charge

    @property
    def capped_cost(self) -> Decimal | None:
        return self.facts.capped_cost

    @property
    def charge_rate(self) -> Decimal | None:
        """Return the supplier's charge an hour, where the rates and margin are recorded."""
        capped = self.facts.capped_cost
        if capped is None or self.agency_margin is None:
            return None
        return hourly_charge_rate(capped, self.agency_margin)

    def result(self, rule: str) -> RuleResult:
        return next(result for result in self.results if result.rule == rule)

    @property
    def breaches(self) -> list[RuleResult]:
        return [result for result in self.results if result.status == Status.BREACHED]

    @property
    def exceptions(self) -> list[RuleResult]:
        """Return the rules met only by an exception or a sign-off."""
        return [result for result in self.results if result.exception]

    @property
    def unknown(self) -> list[RuleResult]:
        return [result for result in self.results if result.status == Status.NOT_KNOWN]


def read_caps() -> dict[int, list[Cap]]:
    """Return every price cap by job type key (one query)."""
    caps: dict[int, list[Cap]] = defaultdict(list)
    for job_type_id, name, applies_from, hourly_cap in PriceCap.objects.values_list(
        "job_type_id", "job_type__name", "applies_from", "hourly_cap"
    ):
        caps[job_type_id].append(Cap(job_type_id, name, applies_from, hourly_cap))
    return caps


def council_departures(workers: QuerySet) -> dict[int, list[Departure]]:
    """Return the permanent social work roles ``workers`` (a queryset of worker keys) left in
    this council, from whichever app keeps leavers (one query each)."""
    found: dict[int, list[Departure]] = defaultdict(list)
    for _, answer in departures_wanted.send(sender=Departure, workers=workers):
        for worker_id, departures in (answer or {}).items():
            found[worker_id].extend(departures)
    return found


def agency_assignments(*, start: dt.date, end: dt.date, scope: Scope | None = None) -> QuerySet:
    """Return the agency assignments active on any day from ``start`` to ``end`` in posts of
    ``scope``, in roles counted by the social work measures."""
    return (
        (scope or Scope.everything())
        .filter_posts(Assignment.objects.agency(), "post")
        .filter(post__role__in_scope=True)
        .overlapping(start, end)
    )


def agency_engagements(
    *,
    start: dt.date,
    end: dt.date,
    scope: Scope | None = None,
    on: dt.date | None = None,
    supplier_id: int | None = None,
    team_id: int | None = None,
    reason: str = "",
) -> list[Engagement]:
    """Return the agency engagements active on any day from ``start`` to ``end`` in ``scope``
    (narrowed to a supplier, team or reason if given), each with the six rules checked as on
    ``on`` (default ``end``), ordered by team, post and start. Three queries."""
    assignments = agency_assignments(start=start, end=end, scope=scope)
    if supplier_id is not None:
        assignments = assignments.filter(supplier_id=supplier_id)
    if team_id is not None:
        assignments = assignments.filter(post__team_id=team_id)
    if reason:
        assignments = assignments.filter(agency_reason=reason)
    return engagements_of(assignments.order_by("post__team__name", "post__reference", "start"), on=on or end)


def engagements_of(assignments: QuerySet, *, on: dt.date) -> list[Engagement]:
    """Return the agency ``assignments`` (a queryset, in its order) with the six rules checked as
    on ``on``. Three queries: the assignments, the caps, the council's leavers."""
    rows = [_converted(row) for row in raw_rows(assignments.values_list(*FIELDS))]
    if not rows:
        return []
    caps = read_caps()
    departures = council_departures(assignments.values("worker_id"))
    required = agency_rules.required_notice_weeks()
    return [_engagement(row, caps, departures, required, on) for row in rows]


def _engagement(
    row: tuple, caps: dict[int, list[Cap]], departures: dict[int, list[Departure]], required: int, on: dt.date
) -> Engagement:
    # Unpacked in the order of FIELDS (not through a dict: this runs for thousands of rows).
    (
        pk,
        worker_id,
        staff_reference,
        first_name,
        last_name,
        swe_number,
        date_qualified,
        post_reference,
        team_id,
        team,
        role_id,
        role,
        job_type_id,
        job_type,
        supplier_id,
        supplier,
        supply_type,
        reason,
        start,
        end,
        fte,
        pay_rate,
        employer_ni,
        apprenticeship_levy,
        agency_margin,
        hours_per_week,
        weekly_charge,
        notice_weeks,
        la_experience_months,
        reference_received,
        reference_given,
        cool_off_declaration,
        previous_role_left_on,
        cool_off_exception,
        dcs_sign_off_by,
        dcs_sign_off_on,
        ceo_sign_off_by,
        ceo_sign_off_on,
    ) = row
    facts = Facts(
        start=start,
        end=end,
        job_type_id=job_type_id,
        pay_rate=pay_rate,
        employer_ni=employer_ni,
        apprenticeship_levy=apprenticeship_levy,
        weekly_charge=weekly_charge,
        notice_weeks=notice_weeks,
        la_experience_months=la_experience_months,
        date_qualified=date_qualified,
        reference_received=reference_received,
        reference_given=reference_given,
        cool_off_declaration=cool_off_declaration,
        previous_role_left_on=previous_role_left_on,
        cool_off_exception=cool_off_exception,
        agency_reason=reason,
        dcs_sign_off_by=dcs_sign_off_by,
        dcs_sign_off_on=dcs_sign_off_on,
        ceo_sign_off_by=ceo_sign_off_by,
        ceo_sign_off_on=ceo_sign_off_on,
        supplier=supplier or "",
        supply_type=supply_type or "",
        swe_number=swe_number,
    )
    cap = agency_rules.cap_for(caps.get(job_type_id, ()), job_type_id=job_type_id, start=start, end=end)
    results = agency_rules.check_all(
        facts, cap=cap, council_departures=departures.get(worker_id, ()), on=on, required_weeks=required
    )
    return Engagement(
        pk=pk,
        worker_id=worker_id,
        staff_reference=staff_reference,
        worker_name=f"{first_name} {last_name}",
        swe_number=swe_number,
        post_reference=post_reference,
        team_id=team_id,
        team=team,
        role_id=role_id,
        role=role,
        job_type=job_type or "",
        supplier_id=supplier_id,
        supplier=supplier or "",
        supply_type=supply_type or "",
        reason=reason,
        start=start,
        end=end,
        fte=fte,
        agency_margin=agency_margin,
        hours_per_week=hours_per_week,
        facts=facts,
        results=results,
    )


@dataclass(frozen=True)
class RuleCounts:
    """How many engagements meet a rule (``by_exception`` of them only by an exception or a
    sign-off), breach it, or cannot be checked for lack of data."""

    rule: str
    name: str
    met: int
    by_exception: int
    breached: int
    not_known: int

    @property
    def total(self) -> int:
        return self.met + self.breached + self.not_known


def compliance_counts(engagements: Iterable[Engagement]) -> list[RuleCounts]:
    """Return, for each rule in order, how many of ``engagements`` meet, breach or cannot be
    checked against it."""
    tally: dict[str, dict[str, int]] = {rule: defaultdict(int) for rule, _ in RULES}
    for engagement in engagements:
        for result in engagement.results:
            tally[result.rule][result.status.value] += 1
            if result.exception:
                tally[result.rule]["by_exception"] += 1
    return [
        RuleCounts(
            rule=rule,
            name=name,
            met=tally[rule][Status.MET.value],
            by_exception=tally[rule]["by_exception"],
            breached=tally[rule][Status.BREACHED.value],
            not_known=tally[rule][Status.NOT_KNOWN.value],
        )
        for rule, name in RULES
    ]


@dataclass(frozen=True)
class WorkerCounts:
    """Engagements by their worst result: every rule met, some not known (none breached), or
    at least one breached."""

    all_met: int
    some_not_known: int
    some_breached: int

    @property
    def total(self) -> int:
        return self.all_met + self.some_not_known + self.some_breached


def engagement_counts(engagements: Iterable[Engagement]) -> WorkerCounts:
    """Return how many ``engagements`` meet every rule, have some not known, or breach one."""
    met = unknown = breached = 0
    for engagement in engagements:
        if engagement.breaches:
            breached += 1
        elif engagement.unknown:
            unknown += 1
        else:
            met += 1
    return WorkerCounts(all_met=met, some_not_known=unknown, some_breached=breached)


def engagement_of(assignment_id: int, *, on: dt.date | None = None) -> Engagement | None:
    """Return one agency assignment with the rules checked as on ``on`` (default today), or None
    for an employee's assignment. Three queries."""
    from django.utils import timezone

    found = engagements_of(
        Assignment.objects.agency().filter(pk=assignment_id), on=on or timezone.localdate()
    )
    return found[0] if found else None
