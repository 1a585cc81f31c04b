"""The measures: one implementation of every rate the product shows.

Pure functions over FTE figures the selectors supply. Rates are percentages
rounded half-up to one decimal place; a zero denominator gives ``None``, which
is shown as "–", never 0% and never an error.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

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
    """Return an amount in pounds, to the pound, as the papers print it: "£250,000"."""
    if value is None:
        return DASH
    return f"£{Decimal(value).quantize(Decimal('1'), rounding=ROUND_HALF_UP):,f}"


def format_days(value: Decimal | None) -> str:
    """Return a number of working days to one decimal with thousands separated ("1,234.5")."""
    if value is None:
        return DASH
    return f"{Decimal(value).quantize(ONE_DP, rounding=ROUND_HALF_UP):,f}"


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
