"""The establishment: service areas, teams, roles, posts, workers, assignments, absences.

Each rule of the establishment lives in exactly one ``clean()`` here (or, for rules
that span rows, in ``workforce.rules``), so the admin, the services, the importer and
the demo loader all enforce it the same way.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from foundation.dates import long_date
from workforce.validators import AtMost, not_negative, plausible_birth_date, plausible_date

FTE_FIELD = {"max_digits": 6, "decimal_places": 4}
# A week of the dearest agency manager costs a few thousand pounds; ten times that is a typo.
WEEKLY_CHARGE_CEILING = 25_000


def validate_fte(value: Decimal) -> None:
    """Reject an FTE outside (0, 1]."""
    if value is None:
        return
    if value <= 0 or value > 1:
        raise ValidationError(
            "FTE must be more than 0 and no more than 1 (for example 0.5 for a half post).",
            code="fte_range",
        )


swe_number_validator = RegexValidator(
    regex=r"^[A-Za-z]{2}\d{10}$",
    message=(
        "Social Work England number must be two letters followed by ten digits "
        "(the census format, for example SW0000012345)."
    ),
    code="swe_format",
)


class OrgRole(models.IntegerChoices):
    """The census ``OrgRole`` codes."""

    SENIOR_MANAGER = 1, "Senior manager"
    MIDDLE_MANAGER = 2, "Middle manager"
    FIRST_LINE_MANAGER = 3, "First line manager"
    SENIOR_PRACTITIONER = 4, "Senior practitioner"
    CASE_HOLDER = 5, "Case holder"
    QUALIFIED_WITHOUT_CASES = 6, "Qualified without cases"


class StartOrigin(models.IntegerChoices):
    """The census ``StartOrigin`` codes: where a starter came from."""

    NEWLY_QUALIFIED = 1, "Newly qualified"
    OTHER_LA = 2, "Another local authority in England"
    OUTSIDE_ENGLAND = 3, "Social work outside England"
    AGENCY = 4, "Agency or consultancy"
    OTHER_SOCIAL_WORK = 5, "Other social work role, not a local authority"
    OTHER_SOCIAL_CARE = 6, "Other social care role"
    NON_SOCIAL_CARE = 7, "Non-social-care, outside England, no employment or career break"
    OTHER = 8, "Other"
    NOT_KNOWN = 9, "Not known"
    NOT_YET_COLLECTED = 10, "Not yet collected"


class Gender(models.TextChoices):
    """The census ``GenderCurrent`` codes."""

    NOT_KNOWN = "0", "Not known"
    MALE = "1", "Male"
    FEMALE = "2", "Female"
    NOT_SPECIFIED = "9", "Not specified"


class Ethnicity(models.TextChoices):
    """The census ethnicity codes."""

    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WOTH = "WOTH", "Any other White background"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Declared not stated or refused"
    NOBT = "NOBT", "Information not yet obtained"


class QualificationLevel(models.TextChoices):
    """The census ``QualLevel`` codes."""

    UNDERGRADUATE = "1", "Undergraduate"
    POSTGRADUATE = "2", "Postgraduate"
    OTHER = "3", "Other"


class CfkssStatus(models.IntegerChoices):
    """The census ``CFKSSstatus`` codes."""

    ASYE = 1, "ASYE"
    FRONTLINE_PRACTITIONER = 2, "Frontline practitioner"
    PRACTICE_SUPERVISOR = 3, "Practice supervisor"
    PRACTICE_LEADER = 4, "Practice leader"


class ServiceArea(models.Model):
    """A part of children's social care: Child Protection, Children in Care, ..."""

    name = models.CharField(max_length=100, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team within a service area, with the managers who answer for its people."""

    name = models.CharField(max_length=100, unique=True)
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="teams")
    case_holding = models.BooleanField(default=True, help_text="Does the team hold children's cases?")
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="managed_teams")
    history = HistoricalRecords(m2m_fields=[managers])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A grade, mapped to its census ``OrgRole`` and whether social work measures count it."""

    name = models.CharField(max_length=100, unique=True)
    code = models.SlugField(max_length=40, unique=True)
    org_role = models.PositiveSmallIntegerField("census OrgRole", choices=OrgRole.choices)
    in_scope = models.BooleanField(
        "in scope of social work measures",
        default=True,
        help_text="Children-and-family social work roles (managers included) count in the rates.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    job_type = models.ForeignKey(
        "workforce.JobType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name="core job type (agency price caps)",
        help_text="The DfE core job type its agency workers' price cap is set for; blank: none applies.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Funding(models.TextChoices):
    ESTABLISHMENT = "establishment", "Establishment"
    TEMPORARY = "temporary", "Temporary"


class PostQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> PostQuerySet:
        """Return the posts active on ``day``."""
        return self.filter(active_from__lte=day).filter(Q(active_to__isnull=True) | Q(active_to__gte=day))


class Post(models.Model):
    """A funded position. Only establishment posts can be vacant."""

    reference = models.CharField(max_length=30, unique=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="posts")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="posts")
    fte = models.DecimalField("FTE", validators=[validate_fte], **FTE_FIELD)
    active_from = models.DateField(validators=[plausible_date])
    active_to = models.DateField(null=True, blank=True, validators=[plausible_date])
    funding = models.CharField(max_length=20, choices=Funding.choices, default=Funding.ESTABLISHMENT)
    history = HistoricalRecords()

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        indexes = [
            # Reads of the posts active on a date; with the other columns here, the committee
            # summary's posts by role and date read the index alone, not every post's row.
            models.Index(
                fields=["active_from", "active_to", "role", "funding", "fte", "team"],
                name="post_dates_covering",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def is_active_on(self, day: dt.date) -> bool:
        return self.active_from <= day and (self.active_to is None or self.active_to >= day)

    def clean(self) -> None:
        if self.active_to and self.active_from and self.active_to < self.active_from:
            raise ValidationError(
                {"active_to": "The post's active-to date cannot be before its active-from date."}
            )


class Worker(models.Model):
    """A person who works in a post: an employee or an agency worker."""

    staff_reference = models.CharField(max_length=30, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    swe_number = models.CharField(
        "Social Work England number",
        max_length=20,
        blank=True,
        validators=[swe_number_validator],
    )
    date_qualified = models.DateField(null=True, blank=True, validators=[plausible_date])
    service_start = models.DateField(
        "continuous service start",
        null=True,
        blank=True,
        help_text="Start of continuous service with the council (employees).",
        validators=[plausible_date],
    )
    start_origin = models.PositiveSmallIntegerField(
        "census StartOrigin", choices=StartOrigin.choices, null=True, blank=True
    )
    birth_date = models.DateField(null=True, blank=True, validators=[plausible_birth_date])
    gender = models.CharField(max_length=1, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, blank=True)
    qualification_level = models.CharField(max_length=1, choices=QualificationLevel.choices, blank=True)
    qualifying_institution = models.CharField(max_length=200, blank=True)
    cfkss_status = models.PositiveSmallIntegerField(
        "CFKSS status", choices=CfkssStatus.choices, null=True, blank=True
    )
    frontline_graduate = models.BooleanField(default=False)
    step_up_graduate = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        # The newly qualified (ASYE) on a date are read by the date they qualified.
        indexes = [models.Index(fields=["date_qualified"], name="worker_date_qualified")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.staff_reference})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        if self.swe_number:
            self.swe_number = self.swe_number.upper()
        if self.birth_date and self.service_start and self.service_start < self.birth_date:
            raise ValidationError(
                {"service_start": "Continuous service cannot start before the date of birth."}
            )


class Contract(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    FIXED_TERM = "fixed_term", "Fixed term"
    AGENCY = "agency", "Agency"


EMPLOYEE_CONTRACTS = (Contract.PERMANENT, Contract.FIXED_TERM)


class AgencyReason(models.TextChoices):
    """Why an agency worker is engaged: the six reasons the papers break agency down by."""

    VACANCY = "vacancy", "Covering vacancies"
    MATERNITY = "maternity", "Covering maternity"
    SICKNESS = "sickness", "Covering long term sickness"
    AWAITING_TRANSFER = "awaiting_transfer", "Awaiting transfer to permanent roles"
    ASYE_SUPPORT = "asye_support", "ASYE support"
    ADDITIONAL_CAPACITY = "additional_capacity", "Additional capacity"


class CoolOffDeclaration(models.TextChoices):
    """What an agency worker declared about permanent social work roles in councils they left."""

    NONE = "none", "None left in the three months before"
    THIS_REGION = "this_region", "Left one in another council in this region"
    OTHER_REGION = "other_region", "Left one in a council in another region"


class CoolOffException(models.TextChoices):
    """The exceptions to the three-month cool-off (DfE's statutory guidance)."""

    REDUNDANCY = "redundancy", "Made redundant"
    PROBATION = "probation", "Left during probation"
    PERMANENT_MOVE = "permanent_move", "Moving to a permanent role"


AGENCY_RATE_FIELD = {"max_digits": 7, "decimal_places": 2, "null": True, "blank": True}


def agency_money(top: str) -> list:
    """Return the validators of an agency rate from £0 to ``top``: never negative."""
    return [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal(top))]


class AssignmentQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> AssignmentQuerySet:
        """Return the assignments active on ``day``."""
        return self.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))

    def overlapping(self, start: dt.date, end: dt.date | None) -> AssignmentQuerySet:
        """Return the assignments active on any day from ``start`` to ``end`` (open if None)."""
        qs = self.filter(Q(end__isnull=True) | Q(end__gte=start))
        if end is not None:
            qs = qs.filter(start__lte=end)
        return qs

    def employees(self) -> AssignmentQuerySet:
        return self.filter(contract__in=EMPLOYEE_CONTRACTS)

    def agency(self) -> AssignmentQuerySet:
        return self.filter(contract=Contract.AGENCY)


class Assignment(models.Model):
    """A worker in a post from a date to a date, on a contract."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="assignments")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="assignments")
    start = models.DateField(validators=[plausible_date])
    end = models.DateField(null=True, blank=True, validators=[plausible_date])
    fte = models.DecimalField("FTE", validators=[validate_fte], **FTE_FIELD)
    contract = models.CharField(max_length=20, choices=Contract.choices)
    agency_supplier = models.CharField(max_length=100, blank=True)
    weekly_charge = models.DecimalField(
        "weekly charge (£)",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[not_negative, AtMost(WEEKLY_CHARGE_CEILING, "weekly charge")],
    )
    agency_reason = models.CharField(max_length=30, choices=AgencyReason.choices, blank=True)
    # The terms of an agency engagement, read by the national agency rules (workforce.agency_rules).
    supplier = models.ForeignKey(
        "workforce.Supplier", on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    pay_rate = models.DecimalField(
        "worker's pay rate (£ an hour)", validators=agency_money("200"), **AGENCY_RATE_FIELD
    )
    employer_ni = models.DecimalField(
        "employer National Insurance (£ an hour)", validators=agency_money("100"), **AGENCY_RATE_FIELD
    )
    apprenticeship_levy = models.DecimalField(
        "apprenticeship levy (£ an hour)",
        validators=agency_money("20"),
        help_text="Where it applies; 0 where it does not.",
        **AGENCY_RATE_FIELD,
    )
    agency_margin = models.DecimalField(
        "agency's margin (£ an hour)", validators=agency_money("200"), **AGENCY_RATE_FIELD
    )
    hours_per_week = models.DecimalField(
        "hours a week",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))],
    )
    notice_weeks = models.PositiveSmallIntegerField(
        "notice period (weeks)", null=True, blank=True, validators=[MaxValueValidator(26)]
    )
    la_experience_months = models.PositiveSmallIntegerField(
        "local authority experience at engagement (months)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(600)],
        help_text="Post-qualifying experience in direct employment in a UK local authority, as the "
        "references show. Blank: judged from the date qualified.",
    )
    reference_received = models.BooleanField(
        "practice-based reference received before engaging", null=True, blank=True
    )
    reference_given = models.BooleanField("reference given at the end", null=True, blank=True)
    cool_off_declaration = models.CharField(
        "permanent role in a council in the last three months",
        max_length=20,
        choices=CoolOffDeclaration.choices,
        blank=True,
        help_text="As the worker declared it. Leavers from this council are read from the leavers records.",
    )
    previous_role_left_on = models.DateField(
        "left that permanent role on", null=True, blank=True
    )
    cool_off_exception = models.CharField(
        "cool-off exception", max_length=20, choices=CoolOffException.choices, blank=True
    )
    dcs_sign_off_by = models.CharField(
        "over the cap: signed off by the Director of Children's Services", max_length=150, blank=True
    )
    dcs_sign_off_on = models.DateField("Director of Children's Services signed off on", null=True, blank=True)
    ceo_sign_off_by = models.CharField(
        "over the cap: signed off by the chief executive", max_length=150, blank=True
    )
    ceo_sign_off_on = models.DateField("chief executive signed off on", null=True, blank=True)
    history = HistoricalRecords()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        indexes = [
            models.Index(fields=["post", "start", "end"]),
            models.Index(fields=["start", "end"]),
            models.Index(fields=["worker", "start"]),
            # Covers the reads "active on a day" / "overlapping a window" (the committee summary,
            # the census, the analyses): SQLite reads them through the start index, and without
            # the other columns here it fetches every table row too (2-3x slower at 40,000 posts).
            models.Index(
                fields=[
                    "start",
                    "end",
                    "contract",
                    "post",
                    "worker",
                    "fte",
                    "agency_reason",
                    "weekly_charge",
                ],
                name="assignment_dates_covering",
            ),
            # The agency assignments overlapping a window (the agency rules, spend and return) are
            # a small part of all: found here by their end, with the columns the spend reads, not
            # by scanning every assignment ever started. (Not a partial index: SQLite uses those
            # only for a condition written into the query, and Django's are parameters.)
            models.Index(
                fields=[
                    "contract",
                    "end",
                    "start",
                    "post",
                    "worker",
                    "fte",
                    "weekly_charge",
                    "supplier",
                    "agency_reason",
                    "hours_per_week",
                ],
                name="agency_assignment_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker.staff_reference} in {self.post.reference} from {long_date(self.start)}"

    @property
    def is_employee(self) -> bool:
        return self.contract in EMPLOYEE_CONTRACTS

    def clean(self) -> None:
        from workforce.agency_rules import settle_agency_terms
        from workforce.rules import check_assignment

        check_assignment(self)
        settle_agency_terms(self)


class AbsenceReason(models.TextChoices):
    """The census absence codes."""

    MAT = "MAT", "Maternity / paternity leave"
    SIC = "SIC", "Sick leave"
    OTH = "OTH", "Other paid authorised absence"
    PUB = "PUB", "Paid absence for public duties"
    TRN = "TRN", "Training"
    UNA = "UNA", "Unauthorised absence"
    UNP = "UNP", "Unpaid authorised absence"


class Absence(models.Model):
    """A worker away from a date to a date. An absent employee still holds their post."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="absences")
    reason = models.CharField(max_length=3, choices=AbsenceReason.choices)
    start = models.DateField(validators=[plausible_date])
    end = models.DateField(null=True, blank=True, validators=[plausible_date])
    working_days_lost = models.DecimalField(
        max_digits=6, decimal_places=2, default=Decimal("0"), validators=[not_negative]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start"]
        indexes = [
            models.Index(fields=["start", "end"]),
            # The absences overlapping a recent window (the absence rate) are those ending in it
            # or open: read from here, SQLite reads those alone (not every absence that started
            # before the window ends, years of them) and none of their rows.
            models.Index(
                fields=["end", "start", "worker", "reason", "working_days_lost"],
                name="absence_end_covering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} from {long_date(self.start)}"

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": "The absence cannot end before it starts."})
        if self.end and self.start and self.working_days_lost:
            days = (self.end - self.start).days + 1
            if self.working_days_lost > days:
                raise ValidationError(
                    {
                        "working_days_lost": f"{self.working_days_lost.normalize():f} working days lost "
                        f"in an absence of {days} calendar day{'s' if days != 1 else ''}: it cannot be more."
                    }
                )
