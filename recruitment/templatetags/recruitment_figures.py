"""Template filters that show recruitment figures the way the measures module formats them."""

from decimal import Decimal

from django import template

from foundation.measures import DASH, format_rate

register = template.Library()


@register.filter
def rate(value: Decimal | None) -> str:
    """Show a rate as "13.3%", or "–" where it is undefined."""
    return format_rate(value)


@register.filter
def days(value: Decimal | None) -> str:
    """Show a median number of days ("31", "30.5"), or "–" when there is none."""
    if value is None:
        return DASH
    return f"{value.normalize():f}"
