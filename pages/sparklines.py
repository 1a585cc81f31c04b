"""Small line charts drawn as inline SVG: the geometry only, no figures are worked out here.

The template ``pages/_sparkline.html`` draws the shapes; the values come from the
committee summary, already computed and rounded by the measures module.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 260
HEIGHT = 76
AXIS_X = 48  # the left gutter holds the highest and lowest figures, the chart's scale
PAD_X = 6
PAD_TOP = 6
PAD_BOTTOM = 20  # room for the first and last dates under the line
MIN_SPAN = Decimal("2")  # never stretch a change smaller than this to the full height


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class AxisLabel:
    """A figure written beside the line at its own height: the chart's highest or lowest."""

    text: str
    y: float  # where the figure is
    text_y: float  # where its words sit (kept apart from the other label's)


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    segments: tuple[str, ...]  # SVG polyline "x,y x,y" runs; a missing figure breaks the line
    points: tuple[Point, ...]  # every figure that exists
    last: Point | None
    target_y: float | None
    first_label: str
    last_label: str
    label_y: float
    description: str  # what a screen reader hears instead of the picture
    axis_x: float  # where the scale's line is drawn
    axis_labels: tuple[AxisLabel, ...]  # the highest and the lowest figure (one if they are equal)


def sparkline(
    values: list[Decimal | None],
    *,
    first_label: str,
    last_label: str,
    description: str,
    target: Decimal | None = None,
    unit: str = "%",
) -> Sparkline:
    """Return the shapes of a line through ``values`` (None leaves a gap), with ``target``
    as a dashed line if given, and its highest and lowest figures written on its scale
    (as "14.2%", the figures' own rounding, with ``unit``)."""
    known = [value for value in values if value is not None]
    scale = known + ([target] if target is not None else [])
    low = min(scale) if scale else Decimal("0")
    high = max(scale) if scale else Decimal("1")
    if high - low < MIN_SPAN:
        middle = (high + low) / 2
        low, high = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
    plot_height = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = (WIDTH - AXIS_X - 2 * PAD_X) / max(1, len(values) - 1)

    def y_of(value: Decimal) -> float:
        return round(PAD_TOP + float((high - value) / (high - low)) * plot_height, 1)

    points: list[Point] = []
    segments: list[str] = []
    run: list[Point] = []
    for index, value in enumerate(values):
        if value is None:
            if run:
                segments.append(" ".join(f"{p.x},{p.y}" for p in run))
            run = []
            continue
        point = Point(round(AXIS_X + PAD_X + index * step, 1), y_of(value))
        points.append(point)
        run.append(point)
    if run:
        segments.append(" ".join(f"{p.x},{p.y}" for p in run))
    axis_labels: list[AxisLabel] = []
    if known:
        highest, lowest = max(known), min(known)
        top, bottom = y_of(highest), y_of(lowest)
        axis_labels.append(AxisLabel(f"{highest:f}{unit}", top, top + 4))
        if lowest != highest:
            # Words 14 units tall: keep the lowest figure's words clear of the highest's.
            axis_labels.append(AxisLabel(f"{lowest:f}{unit}", bottom, max(bottom + 4, top + 4 + 14)))
    return Sparkline(
        width=WIDTH,
        height=HEIGHT,
        segments=tuple(segment for segment in segments if " " in segment),
        points=tuple(points),
        last=points[-1] if points and values[-1] is not None else None,
        target_y=y_of(target) if target is not None else None,
        first_label=first_label,
        last_label=last_label,
        label_y=HEIGHT - 4,
        description=description,
        axis_x=AXIS_X,
        axis_labels=tuple(axis_labels),
    )
