"""Template filters that show recruitment figures the way the measures module formats them."""

from decimal import Decimal

from django import template

from foundation.measures import format_median_days, format_rate, percentage

register = template.Library()


@register.filter
def rate(value: Decimal | None) -> str:
    """Show a rate as "13.3%", or "–" where it is undefined."""
    return format_rate(value)


@register.filter
def days(value: Decimal | None) -> str:
    """Show a median number of days ("31", "30.5"), or "–" when there is none."""
    return format_median_days(value)


@register.filter
def share_of(part: int, whole: int) -> Decimal | None:
    """Return ``part`` as a percentage of ``whole`` (None when ``whole`` is nought), for ``rate``."""
    return percentage(part, whole)
