"""Charts of the committee paper, drawn with matplotlib from the summary's tables.

SVG for the HTML and PDF (vector graphics), PNG for Word. Withheld (suppressed) and
undefined figures are left out of a chart rather than drawn as zero. Each chart is drawn
once per call: its layout is fitted once and the file written in a single draw.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import tempfile
import threading
from collections import OrderedDict
from typing import Any

from django.core.cache import cache

from reporting.figures import Chart, CommitteeSummary, Table

PALETTE = ("#1d4f91", "#d4351c", "#00703c", "#f47738", "#6f72af", "#505a5f")
# Colour is never the only difference between series: each also has its own marker and line
# (or, for bars, its own hatching), which the legend shows too.
MARKERS = ("o", "s", "^", "D", "v", "P")
LINES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)))
HATCHES = ("", "//", "..", "xx", "\\\\", "--")


def chart_series(chart: Chart, table: Table) -> tuple[list[str], list[tuple[str, list[float | None]]]]:
    """Return the categories along the axis and each series' name and values."""
    rows = [table.row(key) for key in chart.rows if table.has_row(key)]
    indexes = [table.column_index(key) for key in chart.columns]

    def number(row: Any, index: int) -> float | None:
        cell = row.cells[index]
        return None if cell.value is None or cell.suppressed else float(cell.value)

    if chart.series_in == "rows":
        categories = [table.columns[index].heading for index in indexes]
        series = [(row.label, [number(row, index) for index in indexes]) for row in rows]
    else:
        categories = [row.label for row in rows]
        series = [(table.columns[index].heading, [number(row, index) for row in rows]) for index in indexes]
    return categories, series


def _wrap(label: str, width: int = 18) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def _use_writable_config() -> None:
    """Point matplotlib at a writable cache folder if none is set (servers often have no home)."""
    os.environ.setdefault("MPLCONFIGDIR", os.path.join(tempfile.gettempdir(), "workforce-matplotlib"))


def load_library() -> None:
    """Import matplotlib and what drawing a chart needs (its fonts found), as the first chart
    drawn in a process would: a web server does it once before forking its workers."""
    _use_writable_config()
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.figure  # noqa: F401
    from matplotlib import font_manager

    font_manager.fontManager.findfont("DejaVu Sans")


def _figure(chart: Chart, table: Table) -> Any:
    _use_writable_config()
    from matplotlib.figure import Figure

    categories, series = chart_series(chart, table)
    height = 3.0 if chart.kind != "barh" else max(2.2, 0.38 * len(categories) + 0.8)
    figure = Figure(figsize=(6.4, height))
    axes = figure.add_subplot()
    positions = list(range(len(categories)))
    if chart.kind == "line":
        for number, (name, values) in enumerate(series):
            axes.plot(
                positions,
                [math.nan if v is None else v for v in values],
                marker=MARKERS[number % len(MARKERS)],
                linestyle=LINES[number % len(LINES)],
                color=PALETTE[number % len(PALETTE)],
                label=name,
            )
        axes.set_xticks(positions, [_wrap(c, 14) for c in categories], fontsize=8)
        axes.set_ylim(bottom=0)
    elif chart.kind == "barh":
        values = [0.0 if v is None else v for v in series[0][1]] if series else []
        axes.barh(positions, values, color=PALETTE[0])
        axes.set_yticks(positions, [_wrap(c, 40) for c in categories], fontsize=8)
        axes.invert_yaxis()
    else:
        width = 0.8 / max(1, len(series))
        for number, (name, values) in enumerate(series):
            offsets = [p - 0.4 + width * (number + 0.5) for p in positions]
            axes.bar(
                offsets,
                [0.0 if v is None else v for v in values],
                width=width,
                color=PALETTE[number % len(PALETTE)],
                hatch=HATCHES[number % len(HATCHES)] if len(series) > 1 else None,
                edgecolor="white",
                label=name,
            )
        # Many bars (the months of a year): a word a line, so neighbouring labels never overlap.
        wrap = 14 if len(categories) <= 8 else 4
        axes.set_xticks(positions, [_wrap(c, wrap) for c in categories], fontsize=8)
    if chart.unit:
        axes.set_ylabel(chart.unit)
    else:
        from matplotlib.ticker import MaxNLocator

        # Counts of people: whole numbers only along the value axis.
        (axes.xaxis if chart.kind == "barh" else axes.yaxis).set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(labelsize=8)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if len(series) > 1:
        axes.legend(fontsize=8, frameon=False)
    figure.tight_layout()
    # tight_layout() leaves a placeholder layout engine on the figure, and savefig() draws
    # a figure that has one an extra time before writing it: drop it, so each chart is
    # laid out once and drawn once.
    figure.set_layout_engine(None)
    return figure


def _table_for(chart: Chart, summary: CommitteeSummary) -> Table:
    return summary.table(chart.table)


def _settings(chart: Chart) -> dict[str, Any]:
    """Return the matplotlib settings every chart is drawn with (whatever matplotlibrc says)."""
    return {
        # No automatic layout engine: _figure() fits the layout once itself.
        "figure.autolayout": False,
        "figure.constrained_layout.use": False,
        # SVG: text kept as text, and the same ids whenever the same chart is drawn.
        "svg.fonttype": "none",
        "svg.hashsalt": chart.key,
    }


_TAG = re.compile(r"<[^<>]+>")
_REFERENCE = re.compile(r'(\sid="|href="#|url\(#)')


def unique_ids(svg_text: str, prefix: str) -> str:
    """Return ``svg_text`` with every element id (and every reference to one) prefixed.

    matplotlib names its groups ``figure_1``, ``axes_1``, ``patch_1``... in every chart,
    so two charts in one page or PDF would share ids. Only tags are rewritten, never text.
    """

    def rewrite(tag: re.Match[str]) -> str:
        return _REFERENCE.sub(lambda start: f"{start.group(1)}{prefix}", tag.group(0))

    return _TAG.sub(rewrite, svg_text)


# The SVGs drawn lately by this process, by what they were drawn from: the paper's page shows
# six charts, about 0.2 s each at 40,000 posts, the same until the figures change.
_DRAWN: OrderedDict[str, str] = OrderedDict()
_DRAWN_LOCK = threading.Lock()
KEEP_DRAWN = 64
KEEP_DRAWN_SECONDS = 7 * 24 * 60 * 60  # in the shared cache; the key is the chart and its figures


def svg(chart: Chart, summary: CommitteeSummary) -> str:
    """Return ``chart`` as an inline SVG element (no XML prologue), text kept as text and
    every id starting with the chart's key, so charts side by side never share one.

    The same chart of the same figures is drawn once and kept: in this process (the last
    ``KEEP_DRAWN``) and in the cache every process shares, so a web worker just started (a
    reload, a recycle) or another machine finds a draft's charts drawn already."""
    table = _table_for(chart, summary)
    key = hashlib.sha256(repr((chart, table)).encode()).hexdigest()
    with _DRAWN_LOCK:
        if key in _DRAWN:
            _DRAWN.move_to_end(key)
            return _DRAWN[key]
    shared = cache.get(f"chart-svg:{key}")
    if shared is not None:
        _keep(key, shared)
        return shared
    _use_writable_config()
    import matplotlib

    with matplotlib.rc_context(_settings(chart)):
        buffer = io.StringIO()
        _figure(chart, table).savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    drawn = unique_ids(text[text.index("<svg") :], f"{chart.key}-")
    _keep(key, drawn)
    cache.set(f"chart-svg:{key}", drawn, KEEP_DRAWN_SECONDS)
    return drawn


def _keep(key: str, drawn: str) -> None:
    with _DRAWN_LOCK:
        _DRAWN[key] = drawn
        while len(_DRAWN) > KEEP_DRAWN:
            _DRAWN.popitem(last=False)


# zlib level 3 for the PNGs rather than Pillow's default 6: the same pixels, in a file
# about 14% larger, compressed in about 70% of the time (compressing was a fifth of the
# time a chart's PNG took).
PNG_COMPRESSION = 3


def png(chart: Chart, summary: CommitteeSummary) -> bytes:
    """Return ``chart`` as a PNG image for Word (200 dots an inch)."""
    _use_writable_config()
    import matplotlib

    with matplotlib.rc_context(_settings(chart)):
        buffer = io.BytesIO()
        _figure(chart, _table_for(chart, summary)).savefig(
            buffer, format="png", dpi=200, pil_kwargs={"compress_level": PNG_COMPRESSION}
        )
    return buffer.getvalue()
