"""The national rules for agency child and family social workers (DfE statutory guidance, in
force from 31 October 2024, fully from 1 October 2025), each in one place.

Each rule reads the facts of one engagement (``Facts``: the agency assignment's terms, the
worker's date qualified, the supplier) and returns a ``RuleResult``: met (perhaps by an
exception or a sign-off), breached, or not known for lack of data. The functions are pure;
``workforce.selectors.agency`` reads the facts for many assignments in a few queries, and
``settle_agency_terms`` (called by ``Assignment.clean`` and the import) refuses what may
not be recorded: above all an engagement over the price cap without both sign-offs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError

from foundation.dates import long_date
from foundation.measures import capped_hourly_cost, hourly_charge_rate, weekly_charge
from foundation.periods import add_months, cool_off_last_day

if TYPE_CHECKING:
    from workforce.models import Assignment

RULES_IN_FORCE = dt.date(2024, 10, 31)
FULL_COMPLIANCE = dt.date(2025, 10, 1)
EXPERIENCE_MONTHS = 36
NATIONAL_NOTICE_WEEKS = 4
# A stated weekly charge may differ from the rates times the hours by rounding, no more.
CHARGE_TOLERANCE = Decimal("1.00")


class Status(StrEnum):
    MET = "met"
    BREACHED = "breached"
    NOT_KNOWN = "not_known"

    @property
    def label(self) -> str:
        return {"met": "Met", "breached": "Breached", "not_known": "Not known"}[self.value]


PRICE_CAP = "price_cap"
EXPERIENCE = "experience"
COOL_OFF = "cool_off"
NOTICE = "notice"
REFERENCE = "reference"
PROJECT_TEAM = "project_team"
RULES: tuple[tuple[str, str], ...] = (
    (PRICE_CAP, "Price cap"),
    (EXPERIENCE, "Three years' post-qualifying experience"),
    (COOL_OFF, "Three-month cool-off"),
    (NOTICE, "Notice period"),
    (REFERENCE, "Practice-based reference"),
    (PROJECT_TEAM, "Identified and costed separately"),
)
RULE_NAMES = dict(RULES)


class RuleResult(NamedTuple):
    """One rule's result for one engagement. (Named tuples, not dataclasses, here and below: a
    page checks thousands of engagements, and these are made far more quickly.)"""

    rule: str
    status: Status
    detail: str
    exception: str = ""  # how a rule not kept to the letter is met: a sign-off or an exception

    @property
    def name(self) -> str:
        return RULE_NAMES[self.rule]


class Cap(NamedTuple):
    """A price cap for a core job type from a date."""

    job_type_id: int
    job_type: str
    applies_from: dt.date
    hourly_cap: Decimal


class Departure(NamedTuple):
    """A permanent social work role in a council that the worker left: in this council (from the
    leavers records), or in another council in this region or another region (as declared)."""

    left_on: dt.date
    where: str  # "council", "this_region" or "other_region"
    exception: str = ""  # "redundancy" or "probation" where the records show it

    @property
    def place(self) -> str:
        return {
            "council": "this council",
            "this_region": "another council in this region",
            "other_region": "a council in another region",
        }[self.where]


class Facts(NamedTuple):
    """What the rules read about one agency engagement."""

    start: dt.date
    end: dt.date | None = None
    job_type_id: int | None = None
    pay_rate: Decimal | None = None
    employer_ni: Decimal | None = None
    apprenticeship_levy: Decimal | None = None
    weekly_charge: Decimal | None = None
    notice_weeks: int | None = None
    la_experience_months: int | None = None
    date_qualified: dt.date | None = None
    reference_received: bool | None = None
    reference_given: bool | None = None
    cool_off_declaration: str = ""
    previous_role_left_on: dt.date | None = None
    cool_off_exception: str = ""
    agency_reason: str = ""
    dcs_sign_off_by: str = ""
    dcs_sign_off_on: dt.date | None = None
    ceo_sign_off_by: str = ""
    ceo_sign_off_on: dt.date | None = None
    supplier: str = ""
    supply_type: str = ""
    swe_number: str = ""

    @property
    def capped_cost(self) -> Decimal | None:
        """Return the pay rate, employer NI and levy an hour, or None while not recorded."""
        if self.pay_rate is None or self.employer_ni is None:
            return None
        return capped_hourly_cost(self.pay_rate, self.employer_ni, self.apprenticeship_levy)

    @property
    def signed_off(self) -> bool:
        """Whether both the Director of Children's Services and the chief executive signed off."""
        return bool(
            self.dcs_sign_off_by.strip()
            and self.dcs_sign_off_on
            and self.ceo_sign_off_by.strip()
            and self.ceo_sign_off_on
        )

    @property
    def sign_off_text(self) -> str:
        return (
            f"signed off by the Director of Children's Services ({self.dcs_sign_off_by}, "
            f"{_day(self.dcs_sign_off_on)}) and the chief executive ({self.ceo_sign_off_by}, "
            f"{_day(self.ceo_sign_off_on)})"
        )


def _day(day: dt.date | None) -> str:
    return long_date(day) if day else "no date"  # (no strftime: thousands on a page)


def _sentence(text: str) -> str:
    """Return ``text`` with its first letter a capital (not str.capitalize, which lowers the
    rest, names of places and months included)."""
    return text[:1].upper() + text[1:]


def _money(value: Decimal) -> str:
    return f"£{value:,.2f}"


def setting(name: str, default: Any) -> Any:
    """Return a council setting of the agency rules (``settings.WORKFORCE``)."""
    return settings.WORKFORCE.get(name, default)


def required_notice_weeks() -> int:
    """Return the notice an agency assignment needs: four weeks, or the council's own notice for
    permanent staff where that is shorter (setting ``PERMANENT_NOTICE_WEEKS``)."""
    return min(NATIONAL_NOTICE_WEEKS, int(setting("PERMANENT_NOTICE_WEEKS", NATIONAL_NOTICE_WEEKS)))


# --- Price cap --------------------------------------------------------------------------------


def cap_for(
    caps: Iterable[Cap], *, job_type_id: int | None, start: dt.date, end: dt.date | None
) -> Cap | None:
    """Return the cap an engagement is held to: the job type's cap in force on the engagement
    date; for one engaged before any cap, the first cap that came into force while it ran."""
    own = sorted((cap for cap in caps if cap.job_type_id == job_type_id), key=lambda cap: cap.applies_from)
    in_force = [cap for cap in own if cap.applies_from <= start]
    if in_force:
        return in_force[-1]
    later = [cap for cap in own if end is None or cap.applies_from <= end]
    return later[0] if later else None


def price_cap(facts: Facts, cap: Cap | None) -> RuleResult:
    """Pay rate + employer NI + levy within the cap for the role's job type, or over it with
    the sign-off of the Director of Children's Services and the chief executive."""
    if facts.job_type_id is None:
        return RuleResult(PRICE_CAP, Status.NOT_KNOWN, "The role has no core job type, so no cap is known.")
    cost = facts.capped_cost
    if cost is None:
        return RuleResult(
            PRICE_CAP, Status.NOT_KNOWN, "The pay rate and employer National Insurance are not recorded."
        )
    if cap is None:
        return RuleResult(
            PRICE_CAP, Status.NOT_KNOWN, f"No price cap is recorded for the job type on {_day(facts.start)}."
        )
    against = f"{_money(cost)} an hour against the {cap.job_type} cap of {_money(cap.hourly_cap)}"
    since = f" (from {_day(cap.applies_from)})"
    if cap.applies_from > facts.start:
        since = f" (engaged before any cap; the first, from {_day(cap.applies_from)})"
    if cost <= cap.hourly_cap:
        return RuleResult(PRICE_CAP, Status.MET, against + since)
    over = f"{against}{since}: {_money(cost - cap.hourly_cap)} over"
    if facts.signed_off:
        return RuleResult(PRICE_CAP, Status.MET, over, exception=f"Over the cap, {facts.sign_off_text}")
    return RuleResult(PRICE_CAP, Status.BREACHED, f"{over}, with no recorded sign-off")


# --- Experience ---------------------------------------------------------------------------------


def experience(facts: Facts) -> RuleResult:
    """At least three years' post-qualifying experience in direct employment in a UK local
    authority at engagement: the months recorded from the references where there are some;
    otherwise judged from the date qualified (less than three years is a breach for certain;
    three or more is taken as met, and says it was assumed)."""
    if facts.la_experience_months is not None:
        months = facts.la_experience_months
        text = f"{months // 12} years {months % 12} months' local authority experience at engagement"
        if months >= EXPERIENCE_MONTHS:
            return RuleResult(EXPERIENCE, Status.MET, text)
        return RuleResult(EXPERIENCE, Status.BREACHED, f"Only {text}; three years are needed")
    if facts.date_qualified is None:
        return RuleResult(
            EXPERIENCE, Status.NOT_KNOWN, "Neither the date qualified nor the experience is recorded."
        )
    qualified = f"Qualified {_day(facts.date_qualified)}"
    if add_months(facts.date_qualified, EXPERIENCE_MONTHS) > facts.start:
        return RuleResult(
            EXPERIENCE,
            Status.BREACHED,
            f"{qualified}: less than three years before the engagement on {_day(facts.start)}",
        )
    return RuleResult(
        EXPERIENCE,
        Status.MET,
        f"{qualified}, three or more years before engagement (local authority experience assumed, "
        "not recorded)",
    )


# --- Cool-off ---------------------------------------------------------------------------------


EXCEPTION_LABELS = {
    "redundancy": "made redundant",
    "probation": "left during probation",
    "permanent_move": "moving to a permanent role",
    "other_region": "the assignment is in a different region",
}


def declared_departure(facts: Facts) -> Departure | None:
    """Return the role left in another council, as the worker declared it, if any."""
    if facts.cool_off_declaration in ("this_region", "other_region") and facts.previous_role_left_on:
        return Departure(facts.previous_role_left_on, facts.cool_off_declaration)
    return None


def cool_off(facts: Facts, council_departures: Iterable[Departure]) -> RuleResult:
    """Not engaged within three months of leaving a permanent social work role in this council
    (the leavers records) or another council of the region (declared), unless made redundant,
    left during probation, moving to a permanent role, or the assignment is in another region."""
    departures = [*council_departures]
    declared = declared_departure(facts)
    if declared is not None:
        departures.append(declared)
    breaches, excepted = [], []
    for departure in sorted(departures, key=lambda d: d.left_on):
        if not departure.left_on < facts.start <= cool_off_last_day(departure.left_on):
            continue
        left = f"left a permanent role in {departure.place} on {_day(departure.left_on)}"
        reason = _exception(departure, facts)
        if reason:
            excepted.append((left, reason))
        else:
            breaches.append(left)
    engaged = f"engaged {_day(facts.start)}, within three months"
    if breaches:
        return RuleResult(COOL_OFF, Status.BREACHED, f"{_sentence('; '.join(breaches))}: {engaged}")
    if excepted:
        left, reason = excepted[-1]
        return RuleResult(
            COOL_OFF, Status.MET, f"{_sentence(left)}: {engaged}", exception=f"Exception: {reason}"
        )
    if facts.cool_off_declaration == "":
        return RuleResult(
            COOL_OFF,
            Status.NOT_KNOWN,
            "No declaration about permanent roles left in other councils of the region "
            "(none in this council's leavers records)",
        )
    return RuleResult(
        COOL_OFF, Status.MET, "No permanent council role left in the three months before engagement"
    )


def _exception(departure: Departure, facts: Facts) -> str:
    if departure.where == "other_region":
        return EXCEPTION_LABELS["other_region"]
    if departure.exception:
        return f"{EXCEPTION_LABELS[departure.exception]} (leavers record)"
    if facts.cool_off_exception:
        return EXCEPTION_LABELS[facts.cool_off_exception]
    if facts.agency_reason == "awaiting_transfer":
        return f"{EXCEPTION_LABELS['permanent_move']} (awaiting transfer)"
    return ""


# --- Notice, reference, project teams -----------------------------------------------------------


def notice(facts: Facts, required_weeks: int) -> RuleResult:
    """A notice period of four weeks, or the council's own shorter permanent notice."""
    needed = f"{required_weeks} week{'s' if required_weeks != 1 else ''} needed"
    if facts.notice_weeks is None:
        return RuleResult(NOTICE, Status.NOT_KNOWN, f"No notice period recorded ({needed})")
    given = f"{facts.notice_weeks} week{'s' if facts.notice_weeks != 1 else ''}' notice"
    if facts.notice_weeks >= required_weeks:
        return RuleResult(NOTICE, Status.MET, f"{given} ({needed})")
    return RuleResult(NOTICE, Status.BREACHED, f"Only {given} ({needed})")


def reference(facts: Facts, *, on: dt.date) -> RuleResult:
    """A practice-based reference obtained before engaging, and one given when it ends."""
    ended = facts.end is not None and facts.end < on
    if facts.reference_received is False:
        return RuleResult(REFERENCE, Status.BREACHED, "Engaged without a practice-based reference")
    if ended and facts.reference_given is False:
        return RuleResult(REFERENCE, Status.BREACHED, "No reference given at the end of the assignment")
    if facts.reference_received is None:
        return RuleResult(REFERENCE, Status.NOT_KNOWN, "Whether a reference was received is not recorded")
    if ended and facts.reference_given is None:
        return RuleResult(
            REFERENCE, Status.NOT_KNOWN, "Reference received; whether one was given is not recorded"
        )
    return RuleResult(
        REFERENCE,
        Status.MET,
        "Reference received and given" if ended else "Reference received before engaging",
    )


def project_team(facts: Facts) -> RuleResult:
    """Every worker, including those in project teams and packaged services, identified and
    costed separately."""
    from workforce.models import PROJECT_SUPPLY

    if not facts.supplier:
        return RuleResult(PROJECT_TEAM, Status.NOT_KNOWN, "No supplier recorded")
    if facts.supply_type not in PROJECT_SUPPLY:
        return RuleResult(PROJECT_TEAM, Status.MET, f"Supplied individually by {facts.supplier}")
    missing = []
    if not facts.swe_number:
        missing.append("a Social Work England number")
    if facts.pay_rate is None and facts.weekly_charge is None:
        missing.append("its own cost")
    if missing:
        return RuleResult(
            PROJECT_TEAM,
            Status.BREACHED,
            f"In a {facts.supplier} project team without {' or '.join(missing)}",
        )
    return RuleResult(
        PROJECT_TEAM, Status.MET, f"Identified in a {facts.supplier} project team with its own cost"
    )


def check_all(
    facts: Facts,
    *,
    cap: Cap | None,
    council_departures: Iterable[Departure] = (),
    on: dt.date,
    required_weeks: int | None = None,
) -> tuple[RuleResult, ...]:
    """Return the six rules' results for one engagement, in the order of ``RULES``."""
    return (
        price_cap(facts, cap),
        experience(facts),
        cool_off(facts, council_departures),
        notice(facts, required_notice_weeks() if required_weeks is None else required_weeks),
        reference(facts, on=on),
        project_team(facts),
    )


# --- What may be recorded ------------------------------------------------------------------------

AGENCY_TERMS = (
    "supplier",
    "pay_rate",
    "employer_ni",
    "apprenticeship_levy",
    "agency_margin",
    "hours_per_week",
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


def agency_terms(assignment: Assignment) -> dict[str, Any]:
    """Return the agency terms of ``assignment`` (supplier, rates, charge, reason, rules' facts),
    to carry onto an assignment that continues the same engagement."""
    names = ("agency_supplier", "weekly_charge", "agency_reason", *AGENCY_TERMS)
    return {name: getattr(assignment, name) for name in names}


def facts_of(assignment: Assignment) -> Facts:
    """Return the facts of an ``Assignment`` held in memory (its post, role and worker loaded)."""
    supplier = assignment.supplier if assignment.supplier_id else None
    return Facts(
        start=assignment.start,
        end=assignment.end,
        job_type_id=assignment.post.role.job_type_id if assignment.post_id else None,
        pay_rate=assignment.pay_rate,
        employer_ni=assignment.employer_ni,
        apprenticeship_levy=assignment.apprenticeship_levy,
        weekly_charge=assignment.weekly_charge,
        dcs_sign_off_by=assignment.dcs_sign_off_by,
        dcs_sign_off_on=assignment.dcs_sign_off_on,
        ceo_sign_off_by=assignment.ceo_sign_off_by,
        ceo_sign_off_on=assignment.ceo_sign_off_on,
        supplier=supplier.name if supplier else "",
        supply_type=supplier.supply_type if supplier else "",
    )


def caps_for_job_type(job_type_id: int | None) -> list[Cap]:
    """Return the recorded caps of one job type (one query; none without a job type)."""
    from workforce.models import PriceCap

    if job_type_id is None:
        return []
    return [
        Cap(cap.job_type_id, cap.job_type.name, cap.applies_from, cap.hourly_cap)
        for cap in PriceCap.objects.filter(job_type_id=job_type_id).select_related("job_type")
    ]


def settle_agency_terms(assignment: Assignment, *, caps: Mapping[int, list[Cap]] | None = None) -> None:
    """Fill in the weekly charge an agency assignment's rates give, and raise ``ValidationError``
    naming the field for terms that may not be recorded: agency terms on an employee's
    assignment, half a sign-off, a declared role without its date, a weekly charge that does
    not match the rates, and, naming the rule, an engagement over the price cap without the
    sign-off of both the Director of Children's Services and the chief executive.

    ``caps`` (job type key: its caps) saves the query for the caps when already read.
    """
    from workforce.models import Contract

    if assignment.contract != Contract.AGENCY:
        given = [name for name in AGENCY_TERMS if getattr(assignment, name) not in (None, "")]
        if given:
            raise ValidationError(
                {given[0]: "Only agency assignments have a supplier, rates and the agency rules' details."}
            )
        return
    errors: dict[str, str] = {}
    for who, label in (("dcs", "Director of Children's Services"), ("ceo", "chief executive")):
        by, on = getattr(assignment, f"{who}_sign_off_by").strip(), getattr(assignment, f"{who}_sign_off_on")
        if by and not on:
            errors[f"{who}_sign_off_on"] = f"Give the date the {label} signed off."
        elif on and not by:
            errors[f"{who}_sign_off_by"] = f"Give who signed off as {label}."
    if (
        assignment.cool_off_declaration in ("this_region", "other_region")
        and not assignment.previous_role_left_on
    ):
        errors["previous_role_left_on"] = "Give the date the worker left that permanent role."
    if assignment.previous_role_left_on and assignment.cool_off_declaration not in (
        "this_region",
        "other_region",
    ):
        errors["cool_off_declaration"] = "Say where the permanent role left on that date was."
    if (assignment.pay_rate is None) != (assignment.employer_ni is None):
        errors["employer_ni" if assignment.employer_ni is None else "pay_rate"] = (
            "Record the pay rate and employer National Insurance together (0 if there is none)."
        )
    if errors:
        raise ValidationError(errors)
    _settle_weekly_charge(assignment)
    _refuse_unsigned_over_cap(assignment, caps)


def expected_weekly_charge(assignment: Any) -> Decimal | None:
    """Return the weekly charge the rates and hours give, or None while any is missing."""
    if None in (
        assignment.pay_rate,
        assignment.employer_ni,
        assignment.agency_margin,
        assignment.hours_per_week,
    ):
        return None
    capped = capped_hourly_cost(assignment.pay_rate, assignment.employer_ni, assignment.apprenticeship_levy)
    return weekly_charge(hourly_charge_rate(capped, assignment.agency_margin), assignment.hours_per_week)


def _settle_weekly_charge(assignment: Assignment) -> None:
    expected = expected_weekly_charge(assignment)
    if expected is None:
        return
    if assignment.weekly_charge is None:
        assignment.weekly_charge = expected
    elif assignment.weekly_charge >= 0 and abs(assignment.weekly_charge - expected) > CHARGE_TOLERANCE:
        # (A negative charge is refused by the field's own validator: one message is enough.)
        raise ValidationError(
            {
                "weekly_charge": f"The weekly charge {_money(assignment.weekly_charge)} does not match the "
                f"rates and hours ({_money(expected)}: pay, National Insurance, levy and margin an hour, "
                "times the hours a week). Correct one, or leave the weekly charge blank to work it out."
            }
        )


def _refuse_unsigned_over_cap(assignment: Assignment, caps: Mapping[int, list[Cap]] | None) -> None:
    if assignment.pay_rate is None or assignment.post_id is None or assignment.start is None:
        return
    job_type_id = assignment.post.role.job_type_id
    if job_type_id is None:
        return
    own = caps.get(job_type_id, []) if caps is not None else caps_for_job_type(job_type_id)
    facts = facts_of(assignment)
    result = price_cap(facts, cap_for(own, job_type_id=job_type_id, start=facts.start, end=facts.end))
    if result.status == Status.BREACHED:
        raise ValidationError(
            {
                "pay_rate": f"Price cap: {result.detail}. An engagement over the regional price cap needs "
                "the sign-off of the Director of Children's Services and the chief executive: record "
                "who signed off and when, for each, or lower the rate."
            }
        )
