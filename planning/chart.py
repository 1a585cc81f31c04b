"""A line chart with axes, drawn as inline SVG by ``templates/planning/_chart.html``: the geometry
only. The values come from the forecast, already worked out; nothing is computed here but where
to draw them. A range is a shaded band between its low and high lines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 60, 36, 16, 44
TICKS = 5
NICE_STEPS = (Decimal("1"), Decimal("2"), Decimal("2.5"), Decimal("5"), Decimal("10"))


@dataclass(frozen=True)
class Line:
    name: str
    points: str  # "x,y x,y ..."
    dots: tuple[tuple[float, float], ...]
    colour: str
    dashed: bool = False


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class LineChart:
    title: str
    unit: str
    width: int
    height: int
    left: int
    right: int  # x of the plot's right edge
    top: int
    bottom: int  # y of the x axis
    lines: tuple[Line, ...]
    band: str | None  # SVG polygon points of the range, if any
    band_name: str
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    description: str  # what a screen reader hears


def _step(span: Decimal) -> Decimal:
    """Return a round step that divides ``span`` into about ``TICKS`` parts."""
    raw = span / TICKS
    power = Decimal(10) ** (raw.adjusted())
    for nice in NICE_STEPS:
        if nice * power >= raw:
            return nice * power
    return NICE_STEPS[-1] * power  # pragma: no cover - the last nice step always fits


def _label(value: Decimal, step: Decimal, unit: str) -> str:
    places = max(0, -step.normalize().as_tuple().exponent)
    return f"{value:.{places}f}{unit}"


def line_chart(
    *,
    title: str,
    unit: str,
    labels: list[str],
    series: list[tuple[str, list[Decimal | None], str, bool]],
    band: tuple[str, list[Decimal | None], list[Decimal | None]] | None = None,
    description: str = "",
) -> LineChart:
    """Return the shapes of a chart of ``series`` (name, values, colour, dashed) along ``labels``,
    with ``band`` (name, lows, highs) shaded. The y axis starts at 0 and ends at a round number."""
    values = [v for _, vs, _, _ in series for v in vs if v is not None]
    if band:
        values += [v for v in (*band[1], *band[2]) if v is not None]
    high = max(values, default=Decimal("1"))
    high = high if high > 0 else Decimal("1")
    step = _step(Decimal(high))
    top_value = step * ((Decimal(high) / step).to_integral_value(rounding="ROUND_CEILING") or 1)
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    plot_width, plot_height = right - LEFT, bottom - TOP
    gap = plot_width / max(1, len(labels) - 1)

    def x(index: int) -> float:
        return round(LEFT + index * gap, 1)

    def y(value: Decimal) -> float:
        return round(bottom - float(Decimal(value) / top_value) * plot_height, 1)

    lines = []
    for name, points, colour, dashed in series:
        dots = tuple((x(i), y(v)) for i, v in enumerate(points) if v is not None)
        lines.append(Line(name, " ".join(f"{px},{py}" for px, py in dots), dots, colour, dashed))
    band_points = None
    if band:
        _, lows, highs = band
        upper = [(x(i), y(v)) for i, v in enumerate(highs) if v is not None]
        lower = [(x(i), y(v)) for i, v in reversed(list(enumerate(lows))) if v is not None]
        if upper and lower:
            band_points = " ".join(f"{px},{py}" for px, py in upper + lower)
    count = int(top_value / step)
    y_ticks = tuple(Tick(y(step * i), _label(step * i, step, unit)) for i in range(count + 1))
    x_ticks = tuple(Tick(x(i), label) for i, label in enumerate(labels))
    return LineChart(
        title=title,
        unit=unit,
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=right,
        top=TOP,
        bottom=bottom,
        lines=tuple(lines),
        band=band_points,
        band_name=band[0] if band else "",
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        description=description or title,
    )
