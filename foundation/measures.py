"""The measures: one implementation of every rate the product shows.

Pure functions over FTE figures the selectors supply. Rates are percentages
rounded half-up to one decimal place; a zero denominator gives ``None``, which
is shown as "–", never 0% and never an error.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings

DASH = "–"
ONE_DP = Decimal("0.1")
HUNDRED = Decimal("100")

VACANCIES_PLUS_IN_POST = "vacancies_plus_in_post"
IN_POST = "in_post"


def percentage(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """Return ``numerator / denominator`` as a percentage to one decimal, or None if undefined."""
    numerator, denominator = Decimal(numerator), Decimal(denominator)
    if denominator == 0:
        return None
    return (numerator * HUNDRED / denominator).quantize(ONE_DP, rounding=ROUND_HALF_UP)


def median(values: Sequence[int | Decimal]) -> Decimal | None:
    """Return the median of ``values`` (the mean of the middle two for an even number), or None
    for none: e.g. the median days from application to offer."""
    if not values:
        return None
    return Decimal(str(statistics.median(values)))


def vacancy_rate(
    vacancy_fte: Decimal, in_post_fte: Decimal, *, denominator: str | None = None
) -> Decimal | None:
    """Return the vacancy rate: V / (V + S) by default, or V / S where the council defines it so."""
    denominator = denominator or settings.WORKFORCE["VACANCY_RATE_DENOMINATOR"]
    if denominator == IN_POST:
        return percentage(vacancy_fte, in_post_fte)
    return percentage(vacancy_fte, vacancy_fte + in_post_fte)


def agency_rate(agency_fte: Decimal, in_post_fte: Decimal) -> Decimal | None:
    """Return the agency rate: A / (A + S)."""
    return percentage(agency_fte, agency_fte + in_post_fte)


def permanent_fill_rate(establishment_fte: Decimal, vacancy_fte: Decimal) -> Decimal | None:
    """Return the share of establishment posts filled by permanent staff: (E - V) / E."""
    return percentage(establishment_fte - vacancy_fte, establishment_fte)


def turnover_rate(leavers_fte: Decimal, in_post_fte_at_end: Decimal) -> Decimal | None:
    """Return the turnover rate over a window: L / S at the window's end."""
    return percentage(leavers_fte, in_post_fte_at_end)


def vacancy_agency_cover_rate(agency_covering_vacancies_fte: Decimal, vacancy_fte: Decimal) -> Decimal | None:
    """Return the share of vacancies covered by agency workers."""
    return percentage(agency_covering_vacancies_fte, vacancy_fte)


def absence_rate(days_lost: Decimal, available_days: Decimal) -> Decimal | None:
    """Return working days lost as a share of the working days available."""
    return percentage(days_lost, available_days)


def format_fte(value: Decimal | None) -> str:
    """Return an FTE figure as the papers print it: one decimal place ("31.3")."""
    if value is None:
        return DASH
    return f"{Decimal(value).quantize(ONE_DP, rounding=ROUND_HALF_UP):f}"


def format_fte_exact(value: Decimal | None) -> str:
    """Return an FTE as typed, without the stored trailing zeros: "1.0", "0.6", "0.25"
    (for a box to edit; ``format_fte`` rounds to the papers' one decimal)."""
    if value is None:
        return ""
    exact = Decimal(value).normalize()
    if exact == exact.to_integral_value():
        return f"{exact.quantize(ONE_DP)}"
    return f"{exact:f}"


def format_rate(rate: Decimal | None) -> str:
    """Return a rate as "13.3%", or "–" where it is undefined."""
    if rate is None:
        return DASH
    return f"{rate:f}%"


def format_rate_fte(rate: Decimal | None, fte: Decimal) -> str:
    """Return a rate with its FTE count as the seeds print it: "13.3% (31.3)"."""
    if rate is None:
        return DASH
    return f"{format_rate(rate)} ({format_fte(fte)})"


def agency_fill_rate(agency_covering_vacancies_fte: Decimal, establishment_fte: Decimal) -> Decimal | None:
    """Return the share of establishment posts filled by agency workers covering vacancies."""
    return percentage(agency_covering_vacancies_fte, establishment_fte)


def format_count(value: int | Decimal | None) -> str:
    """Return a count of people or records with thousands separated ("1,234")."""
    if value is None:
        return DASH
    return f"{int(value):,}"


def format_money(value: Decimal | None) -> str:
    """Return an amount in pounds, to the pound, as the papers print it: "£250,000" (a negative
    amount "-£1,000", never "£-1,000")."""
    if value is None:
        return DASH
    pounds = Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    if pounds < 0:
        return f"-£{-pounds:,f}"
    return f"£{pounds.copy_abs():,f}"  # (no "£-0" for an amount that rounds to nothing)


def format_variance(value: Decimal | None) -> str:
    """Return an amount over (under) a budget as accounts print it: "£1,234" over, "(£1,234)"
    under, for a column headed "Over (under) budget"."""
    if value is None or Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP) >= 0:
        return format_money(value)  # (an amount that rounds to nothing is "£0", not "(£0)")
    return f"({format_money(-value)})"


def format_days(value: Decimal | None) -> str:
    """Return a number of working days to one decimal with thousands separated ("1,234.5")."""
    if value is None:
        return DASH
    return f"{Decimal(value).quantize(ONE_DP, rounding=ROUND_HALF_UP):,f}"


def format_median_days(value: Decimal | None) -> str:
    """Return a median number of days as it falls: "31", or "30.5" between two middle values."""
    if value is None:
        return DASH
    return f"{Decimal(value).normalize():f}"


def pro_rata(amount: Decimal, part_days: int, whole_days: int) -> Decimal | None:
    """Return ``amount`` scaled by ``part_days / whole_days`` to the penny (None if undefined)."""
    if not whole_days:
        return None
    return (Decimal(amount) * part_days / whole_days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def cost_per(amount: Decimal, count: int) -> Decimal | None:
    """Return ``amount`` shared over ``count`` (e.g. cost per start) to the penny, None for none."""
    if not count:
        return None
    return (Decimal(amount) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- Caseloads -------------------------------------------------------------------------------

# The spread of caseloads: (key, label, fewest cases, most cases or None for no upper bound).
CASELOAD_BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    ("0-10", "0–10 cases", 0, 10),
    ("11-15", "11–15 cases", 11, 15),
    ("16-20", "16–20 cases", 16, 20),
    ("21-25", "21–25 cases", 21, 25),
    ("26+", "26 or more cases", 26, None),
)


def caseload_per_case_holder(cases: int | Decimal, case_holder_fte: Decimal) -> Decimal | None:
    """Return DfE's caseload measure: cases held by case holders / their FTE, to one decimal
    (None when no case holder's caseload is known)."""
    case_holder_fte = Decimal(case_holder_fte)
    if case_holder_fte == 0:
        return None
    return (Decimal(cases) / case_holder_fte).quantize(ONE_DP, rounding=ROUND_HALF_UP)


def caseload_band(cases: int) -> str:
    """Return the key of the band of ``CASELOAD_BANDS`` a caseload of ``cases`` falls in."""
    for key, _, fewest, most in CASELOAD_BANDS:
        if cases >= fewest and (most is None or cases <= most):
            return key
    raise ValueError(f"{cases} is not a number of cases")


def format_caseload(value: Decimal | None) -> str:
    """Return cases per FTE as DfE publishes them, to one decimal ("16.3"), or "–"."""
    return format_fte(value)
# --- Planning ahead: the forecast's flows and the exact rates its decomposition splits ----------
#
# A quarter is taken as a quarter of a year throughout: an annual turnover of 20% loses 5% of
# those in post a quarter, and a vacancy's time to fill is measured against 365 / 4 days.

Exact = int | Decimal | Fraction
QUARTER_DAYS = Decimal("91.25")
FOUR = Decimal("4")
HALF = Decimal("0.5")
ONE_QUARTER = Decimal("1")
LN_2 = Decimal(2).ln()


def exact_ratio(numerator: Exact, denominator: Exact) -> Fraction | None:
    """Return ``numerator / denominator`` exactly (a fraction, not a percentage), None if undefined."""
    numerator, denominator = Fraction(numerator), Fraction(denominator)
    if denominator == 0:
        return None
    return numerator / denominator


def vacancy_ratio(
    vacancy_fte: Exact, in_post_fte: Exact, *, denominator: str | None = None
) -> Fraction | None:
    """Return the vacancy rate unrounded, as a fraction of one: what ``vacancy_rate`` rounds."""
    denominator = denominator or settings.WORKFORCE["VACANCY_RATE_DENOMINATOR"]
    if denominator == IN_POST:
        return exact_ratio(vacancy_fte, in_post_fte)
    return exact_ratio(vacancy_fte, Fraction(vacancy_fte) + Fraction(in_post_fte))


def agency_ratio(agency_fte: Exact, in_post_fte: Exact) -> Fraction | None:
    """Return the agency rate unrounded, as a fraction of one: what ``agency_rate`` rounds."""
    return exact_ratio(agency_fte, Fraction(agency_fte) + Fraction(in_post_fte))


def rate_of_ratio(ratio: Fraction | None) -> Decimal | None:
    """Return an exact ratio as the rate the product shows: a percentage rounded half-up to 0.1."""
    if ratio is None:
        return None
    return percentage(Decimal(ratio.numerator), Decimal(ratio.denominator))


def expected_leavers(
    in_post_fte: Decimal, annual_turnover: Decimal, quarters: Decimal = ONE_QUARTER
) -> Decimal:
    """Return the FTE expected to leave over ``quarters`` quarters (a part of one for a part of a
    quarter): those in post times a quarter of the annual turnover rate (a percentage) each."""
    return Decimal(in_post_fte) * Decimal(annual_turnover) / HUNDRED / FOUR * Decimal(quarters)


def share_filled(median_days_to_fill: Decimal | None, days: Decimal = QUARTER_DAYS) -> Decimal:
    """Return the share of the vacancies open at the start of a period that are filled within it,
    when each vacant FTE-day has the same chance of being filled, the chance that gives a median
    time from vacancy to start of ``median_days_to_fill``: ln 2 x days / median (at most all of
    them). Counted against the vacancies open at the start, it stands for those arising and
    filled within the period too, as the flows of the year it was measured over did. No median
    (nothing filled lately) gives 0."""
    if median_days_to_fill is None:
        return Decimal("0")
    if median_days_to_fill <= 0:
        return Decimal("1")
    return min(Decimal("1"), LN_2 * Decimal(days) / Decimal(median_days_to_fill))


def median_days_to_fill(mean_vacancy_fte: Decimal, filled_fte: Decimal, days: int = 365) -> Decimal | None:
    """Return the median days from vacancy to start over ``days``, allowing for vacancies still
    open: with a constant chance of a vacancy filling each day, that chance is the FTE filled over
    the vacancy FTE-days open (``mean_vacancy_fte`` x ``days``), and the median is ln 2 / chance.
    Rounded to whole days; None if nothing was filled."""
    if not filled_fte or filled_fte <= 0:
        return None
    median = Decimal(2).ln() * Decimal(mean_vacancy_fte) * days / Decimal(filled_fte)
    return median.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def rate_interval(rate: Decimal, events: int, z: Decimal) -> tuple[Decimal, Decimal]:
    """Return the low and high ends of the interval around a rate measured from ``events``
    events (leavers, vacancies filled): ``rate`` times exp(-z / sqrt(n)) and exp(z / sqrt(n)),
    the usual interval for a Poisson count taken on the log scale. No events: no interval."""
    rate = Decimal(rate)
    if events <= 0:
        return rate, rate
    spread = (Decimal(z) / Decimal(events).sqrt()).exp()
    return rate / spread, rate * spread


def offer_acceptance_rate(accepted: int, answered: int) -> Decimal | None:
    """Return the share of offers answered that were accepted, a percentage (None if none answered)."""
    return percentage(accepted, answered)
# --- Agency workers: rates, the price cap, and the premium over permanent staff -----------------

PENNY = Decimal("0.01")
DAYS_IN_YEAR = 365


def _to_penny(value: Decimal) -> Decimal:
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def capped_hourly_cost(
    pay_rate: Decimal, employer_ni: Decimal, apprenticeship_levy: Decimal | None
) -> Decimal:
    """Return what DfE's price cap covers, an hour: the worker's pay rate, employer National
    Insurance and the apprenticeship levy where it applies (None: it does not)."""
    return _to_penny(Decimal(pay_rate) + Decimal(employer_ni) + Decimal(apprenticeship_levy or 0))


def hourly_charge_rate(capped_cost: Decimal, agency_margin: Decimal) -> Decimal:
    """Return the supplier's charge an hour: the capped cost plus the agency's margin."""
    return _to_penny(Decimal(capped_cost) + Decimal(agency_margin))


def weekly_charge(hourly_charge: Decimal, hours_per_week: Decimal) -> Decimal:
    """Return the total charge for a week: the hourly charge times the hours a week, to the penny."""
    return _to_penny(Decimal(hourly_charge) * Decimal(hours_per_week))


def permanent_annual_cost(salary: Decimal, on_costs_percent: Decimal) -> Decimal:
    """Return what a permanent worker costs a year: salary plus on-costs, to the penny."""
    return _to_penny(Decimal(salary) * (HUNDRED + Decimal(on_costs_percent)) / HUNDRED)


def permanent_cost_for_hours(annual_cost: Decimal, hours: Decimal, full_time_hours: Decimal) -> Decimal:
    """Return what a permanent worker would cost for ``hours`` of work: the annual cost spread
    evenly over the year's weeks (365 / 7) of ``full_time_hours`` a week, to the penny."""
    if not full_time_hours:
        raise ValueError("The full-time hours a week must be more than 0.")
    return _to_penny(Decimal(annual_cost) * Decimal(hours) * 7 / (DAYS_IN_YEAR * Decimal(full_time_hours)))


def permanent_cost_for_fte_days(annual_cost: Decimal, fte_days: Decimal) -> Decimal:
    """Return what a permanent worker would cost for ``fte_days`` (FTE times calendar days)."""
    return _to_penny(Decimal(annual_cost) * Decimal(fte_days) / DAYS_IN_YEAR)


def premium_percent(agency_cost: Decimal, permanent_cost: Decimal) -> Decimal | None:
    """Return how much more agency cover cost than permanent staff would, as a % of the latter."""
    return percentage(Decimal(agency_cost) - Decimal(permanent_cost), permanent_cost)
