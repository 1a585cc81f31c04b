"""Splitting a change into its causes so that the parts add up exactly.

Pure functions. ``shapley_parts`` gives each cause its Shapley value: the change it makes,
averaged over every order in which the causes could be applied one after another. The
parts always add up exactly to the whole change (the values are exact fractions), whatever
the interactions between causes, and no order of the causes is favoured.
``rounded_parts`` rounds the parts for print so that the printed parts add up to the
printed change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import factorial


def shapley_parts(players: Sequence[str], value: Callable[[int], Fraction]) -> dict[str, Fraction]:
    """Return each player's Shapley value for ``value``, a function of a coalition given as a
    bit mask over ``players`` (bit i set: players[i] is in it). The values add up exactly to
    ``value(all) - value(none)``. ``value`` is asked once for each of the 2^n coalitions."""
    n = len(players)
    values = [value(mask) for mask in range(1 << n)]
    whole = factorial(n)
    weight = [Fraction(factorial(size) * factorial(n - size - 1), whole) for size in range(n)]
    parts: dict[str, Fraction] = {}
    for i, player in enumerate(players):
        bit = 1 << i
        total = Fraction(0)
        for mask in range(1 << n):
            if mask & bit:
                continue
            total += weight[mask.bit_count()] * (values[mask | bit] - values[mask])
        parts[player] = total
    return parts


def rounded_parts(parts: dict[str, Fraction], total: Decimal, places: Decimal) -> dict[str, Decimal]:
    """Return ``parts`` rounded to ``places`` so that they add up exactly to ``total`` (already
    rounded to ``places``, e.g. the change between two printed rates).

    Each part is rounded half-up first; any difference left is made up a step of ``places``
    at a time on the parts whose rounding moved them furthest the other way (the
    largest-remainder rule), so no part moves by more than it must.
    """
    exact = {key: Fraction(value) for key, value in parts.items()}
    rounded = {
        key: Decimal(value.numerator / Decimal(value.denominator)).quantize(places, rounding=ROUND_HALF_UP)
        for key, value in exact.items()
    }
    step = places
    left = Decimal(total) - sum(rounded.values(), Decimal("0"))
    while left != 0 and rounded:
        direction = step if left > 0 else -step
        # The part whose rounding fell furthest short in this direction takes the step.
        key = max(rounded, key=lambda k: (exact[k] - Fraction(rounded[k])) * (1 if left > 0 else -1))
        rounded[key] += direction
        left -= direction
    return rounded
