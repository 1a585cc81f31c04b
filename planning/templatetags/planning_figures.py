"""Template filters that print the planning page's figures as the product prints them
(``foundation.measures``): FTE to one decimal, rates with a %, changes in points with a sign."""

from __future__ import annotations

from decimal import Decimal

from django import template

from foundation import measures

register = template.Library()


@register.filter
def fte(value: Decimal | None) -> str:
    """Print an FTE figure: "31.3"."""
    return measures.format_fte(value)


@register.filter
def rate(value: Decimal | None) -> str:
    """Print a rate: "13.3%", or "–" where it is undefined."""
    return measures.format_rate(value)


@register.filter
def points(value: Decimal | None) -> str:
    """Print a change in percentage points with its sign: "+1.6", "−0.4", "0.0"."""
    if value is None:
        return measures.DASH
    value = Decimal(value).quantize(measures.ONE_DP)
    if value > 0:
        return f"+{value:f}"
    if value < 0:
        return f"−{-value:f}"
    return f"{value:f}"
