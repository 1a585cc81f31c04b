"""Secondary suppression of published papers: no withheld count can be worked out by subtraction.

Each test builds tables as the paper's sections build them, withholds them, and then
plays the reader: knowing every figure shown and how the figures add up (written out
here, apart from the code under test), they subtract along every row, column and total,
again and again, and must never arrive at a withheld count. Rates, FTE and days beside a
withheld count must be withheld with it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from decimal import Decimal
from types import SimpleNamespace

import pytest

from foundation.windows import Window
from recruitment.selectors import DeclineRow
from reporting import sections, suppression
from reporting.figures import COUNT, FTE, RATE, Column, Row, Table, count_cell, rate_cell, text_cell
from reporting.recruitment_section import declines_table
from reporting.suppression import Structure, suppress_tables
from tests import factories_reporting as fr
from workforce.models import AgencyReason

D = Decimal
THRESHOLD = 5
START, END = dt.date(2018, 7, 1), dt.date(2019, 6, 30)
WINDOW = Window(START, END)


# --- The reader -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sum:
    """``parts`` add up to ``total`` (cells as (row key, column key)); no ``total``: a total
    the reader knows from elsewhere in the paper."""

    parts: tuple[tuple[str, str], ...]
    total: tuple[str, str] | None = None


def shown(table: Table) -> dict[tuple[str, str], Decimal | None]:
    """Return what the reader sees of each numeric cell: its number, or None if withheld."""
    return {
        (row.key, column.key): (None if cell.suppressed else cell.value)
        for row in table.rows
        for column, cell in zip(table.columns, row.cells, strict=True)
        if cell.kind != "text"
    }


def worked_out(original: Table, withheld: Table, sums: list[Sum]) -> set[tuple[str, str]]:
    """Return the withheld cells a reader recovers by single subtractions, repeated: a sum with
    one unknown gives it (an unknown total elsewhere counts as known: the paper prints it)."""
    truth = {key: value for key, value in shown(original).items()}
    known = {key: value for key, value in shown(withheld).items() if value is not None}
    recovered: set[tuple[str, str]] = set()
    progress = True
    while progress:
        progress = False
        for relation in sums:
            cells = [*relation.parts, *([relation.total] if relation.total else [])]
            unknown = [cell for cell in cells if cell not in known and truth.get(cell) is not None]
            if len(unknown) == 1:
                cell = unknown[0]
                known[cell] = truth[cell]
                recovered.add(cell)
                progress = True
    return recovered


def assert_protected(original: Table, withheld: Table, sums: list[Sum]) -> None:
    """Assert no withheld count can be recovered, and nothing beside one gives it away."""
    small = [
        (row.key, column.key)
        for row in original.rows
        for column, cell in zip(original.columns, row.cells, strict=True)
        if cell.kind == COUNT and cell.value and cell.value < THRESHOLD
    ]
    cells = {
        (row.key, column.key): cell
        for row in withheld.rows
        for column, cell in zip(withheld.columns, row.cells, strict=True)
    }
    for key in small:
        assert cells[key].text == f"<{THRESHOLD}" and cells[key].value is None, key
    assert worked_out(original, withheld, sums) == set()
    for row in withheld.rows:
        if any(cell.kind == COUNT and cell.suppressed for cell in row.cells):
            beside = [cell for cell in row.cells if cell.kind in (RATE, FTE) and cell.value is not None]
            assert beside == [], f"{row.key}: a share or FTE shows beside a withheld count"


def column_sums(table: Table, columns: list[str], *, apart: tuple[str, ...] = ()) -> list[Sum]:
    parts = [row.key for row in table.rows if not row.total and row.key not in apart]
    totals = [row.key for row in table.rows if row.total]
    return [
        Sum(tuple((row, column) for row in parts), (totals[0], column) if totals else None)
        for column in columns
    ]


def row_sums(table: Table, parts: list[str], total: str) -> list[Sum]:
    return [Sum(tuple((row.key, column) for column in parts), (row.key, total)) for row in table.rows]


def texts(table: Table, column: str) -> list[str]:
    return [table.cell(row.key, column).text for row in table.rows]


# --- Agency workers by reason: the case issue 15 found -----------------------------------------


def agency_table(heads: list[int], ftes: list[str]) -> Table:
    reasons = list(AgencyReason)
    snapshot = SimpleNamespace(
        agency_headcount_by_reason={reason.value: n for reason, n in zip(reasons, heads, strict=True)},
        agency_fte_by_reason={reason.value: D(f) for reason, f in zip(reasons, ftes, strict=True)},
        total=SimpleNamespace(agency_headcount=sum(heads), agency_fte=sum(D(f) for f in ftes)),
    )
    return sections.agency_section(snapshot).tables[0]


def test_the_agency_table_of_issue_15_no_longer_gives_away_its_hidden_cell():
    # 6, 6, *, 0, 6, 20 with a total of 40: the hidden 2 was 40 - 38.
    table = agency_table([6, 6, 2, 0, 6, 20], ["5.5", "6.0", "1.6", "0", "5.0", "19.0"])
    withheld = suppress_tables([table], THRESHOLD)["agency_by_reason"]
    assert texts(withheld, "headcount") == ["*", "6", "<5", "0", "6", "20", "40"]
    # The FTE beside both withheld counts goes too, so the FTE cannot be subtracted either.
    assert texts(withheld, "fte") == ["*", "6.0", "*", "0.0", "5.0", "19.0", "37.1"]
    sums = column_sums(table, ["headcount", "fte"])
    assert_protected(table, withheld, sums)
    # The reader's best: the two withheld headcounts add up to 8, nothing more.
    assert worked_out(table, withheld, sums) == set()


def test_the_reader_would_have_found_the_hidden_cell_with_small_counts_withheld_alone():
    """The check above can fail: with only the 2 withheld (as before), the reader gets it back."""
    table = agency_table([6, 6, 2, 0, 6, 20], ["5.5", "6.0", "1.6", "0", "5.0", "19.0"])
    sickness = table.row(AgencyReason.SICKNESS.value)
    alone = replace(
        sickness, cells=(sickness.cells[0], replace(sickness.cells[1], text="*", value=None, suppressed=True),
                         replace(sickness.cells[2], text="<5", value=None, suppressed=True)),
    )  # fmt: skip
    before = replace(table, rows=tuple(alone if row.key == sickness.key else row for row in table.rows))
    found = worked_out(table, before, column_sums(table, ["headcount", "fte"]))
    assert found == {("sickness", "headcount"), ("sickness", "fte")}


def test_the_agency_total_stays_shown():
    table = agency_table([6, 6, 2, 0, 6, 20], ["5.5", "6.0", "1.6", "0", "5.0", "19.0"])
    withheld = suppress_tables([table], THRESHOLD)["agency_by_reason"]
    assert withheld.cell("total", "headcount").text == "40" and not withheld.cell("total", "fte").suppressed


# --- A grid of tables ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heads", "expected"),
    [
        ([6, 6, 2, 0, 6, 20], ["*", "6", "<5", "0", "6", "20", "40"]),
        ([2, 3, 0, 0, 9, 30], ["<5", "<5", "0", "0", "9", "30", "44"]),  # two hidden already
        ([4, 0, 0, 0, 0, 0], ["<5", "0", "0", "0", "0", "0", "<5"]),  # the total is the count
        ([1, 0, 0, 0, 0, 7], ["<5", "0", "0", "0", "0", "*", "8"]),
        ([9, 1, 1, 1, 12, 10], ["9", "<5", "<5", "<5", "12", "10", "34"]),
        ([0, 0, 0, 0, 0, 0], ["0", "0", "0", "0", "0", "0", "0"]),
        ([25, 30, 12, 7, 9, 5], ["25", "30", "12", "7", "9", "5", "88"]),
        ([3, 8, 7, 7, 0, 50], ["<5", "8", "*", "7", "0", "50", "75"]),  # the smallest; of a tie, the first
    ],
)
def test_a_table_with_a_totals_row(heads, expected):
    table = agency_table(heads, [str(n) for n in heads])
    withheld = suppress_tables([table], THRESHOLD)["agency_by_reason"]
    assert texts(withheld, "headcount") == expected
    assert_protected(table, withheld, column_sums(table, ["headcount", "fte"]))


def test_a_table_whose_total_is_printed_elsewhere():
    # Leavers by category add up to the leavers of the headline table, which stays shown.
    analysis = fr.leavers_analysis(
        start=START, end=END, total=40, categories=[("a", "A", 30), ("b", "B", 7), ("c", "C", 3)]
    )
    table = sections.leavers_section(analysis, WINDOW).table("leavers_by_category")
    withheld = suppress_tables([table], THRESHOLD)["leavers_by_category"]
    assert texts(withheld, "count") == ["30", "*", "<5"]
    assert texts(withheld, "percent") == ["75.0%", "*", "*"]  # 7 = 17.5% of 40 would give it back
    assert_protected(table, withheld, column_sums(table, ["count"]))


def declines(rows: dict[str, tuple[int, int]]) -> Table:
    """Return the offers declined or withdrawn table of reasons coded by ``rows``' keys."""
    reasons = [
        DeclineRow(index, code, code.title(), *counts) for index, (code, counts) in enumerate(rows.items())
    ]
    return declines_table(replace(fr.funnel(start=START, end=END), declines=reasons))


def two_way_sums(table: Table) -> list[Sum]:
    return column_sums(table, ["declined", "withdrawn", "total"]) + row_sums(
        table, ["declined", "withdrawn"], "total"
    )


def test_a_single_row_table():
    table = declines({"salary": (2, 7)})
    withheld = suppress_tables([table], THRESHOLD)["recruitment_declines"]
    # 2 + 7 = 9: the 7 goes with the 2; the total row repeats the one row, so it follows.
    assert [cell.text for cell in withheld.row("salary").cells[1:4]] == ["<5", "*", "9"]
    assert [cell.text for cell in withheld.row("total").cells[1:4]] == ["<5", "*", "9"]
    assert withheld.cell("salary", "percent").text == "*"
    assert_protected(table, withheld, two_way_sums(table))


def test_a_two_way_table_with_a_zero_where_a_second_cell_would_go():
    # Row b's other part is 0: its hidden 7 can only be protected by hiding its total.
    table = declines({"a": (2, 6), "b": (7, 0), "c": (9, 8)})
    withheld = suppress_tables([table], THRESHOLD)["recruitment_declines"]
    assert withheld.cell("a", "declined").text == "<5"
    assert withheld.cell("b", "total").text == "*"
    assert_protected(table, withheld, two_way_sums(table))
    # Worked by hand: every row and column keeps two or more cells withheld, or none.
    assert [[cell.text for cell in row.cells[1:]] for row in withheld.rows] == [
        ["<5", "*", "*", "*"],
        ["*", "0", "*", "*"],
        ["*", "*", "17", "*"],  # the share of a row with a withheld count goes with it
        ["18", "14", "32", "100.0%"],
    ]


def test_a_two_way_table_with_nothing_small_is_left_alone():
    table = declines({"a": (12, 6), "b": (7, 0), "c": (9, 8)})
    assert suppress_tables([table], THRESHOLD)["recruitment_declines"] == table


def test_random_two_way_tables_never_give_a_count_away(monkeypatch):
    """Two hundred tables of 1 to 5 rows and 1 to 4 part columns, with a totals row and a total
    column, many of their counts small or nought."""
    rng = random.Random(15)
    for number in range(200):
        n_rows, n_columns = rng.randint(1, 5), rng.randint(1, 4)
        parts = [f"p{c}" for c in range(n_columns)]
        monkeypatch.setitem(suppression.STRUCTURE, "grid", Structure(across=((tuple(parts), "total"),)))
        grid = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 11, 20]) for _ in parts] for _ in range(n_rows)]
        totals = [sum(column) for column in zip(*grid, strict=True)]
        body = [*grid, totals]
        rows = tuple(
            Row(
                key="total" if index == n_rows else f"r{index}",
                cells=(
                    text_cell(f"Row {index}"),
                    *(count_cell(n) for n in values),
                    count_cell(sum(values)),
                    rate_cell(D(sum(values)) * 100 / sum(totals) if sum(totals) else None),
                ),
                total=index == n_rows,
            )
            for index, values in enumerate(body)
        )
        columns = (
            Column("label", ""),
            *(Column(p, p) for p in parts),
            Column("total", "Total"),
            Column("percent", "%"),
        )
        table = Table(key="grid", title="Grid", columns=columns, rows=rows)
        withheld = suppress_tables([table], THRESHOLD)["grid"]
        sums = column_sums(table, [*parts, "total"]) + row_sums(table, parts, "total")
        assert_protected(table, withheld, sums), number


# --- Rates, FTE and days that would give a count away ------------------------------------------


def funnel_tables(*, started: tuple[int, int], **internal: int) -> tuple[Table, ...]:
    days = {"median_days_to_offer": D(21), "median_days_to_start": D(60)}
    rows = [
        fr.funnel_row(
            1,
            "Social Worker",
            received=40,
            interviewed=20,
            offered=10,
            started=started[0],
            **days,
            **internal,
        ),
        fr.funnel_row(
            2, "Senior Practitioner", received=30, interviewed=12, offered=8, started=started[1], **days
        ),
    ]
    return sections.recruitment_section(fr.funnel(start=START, end=END, rows=rows), WINDOW).tables


def test_a_share_in_another_table_that_repeats_a_withheld_count_is_withheld_too():
    tables = {
        table.key: table
        for table in funnel_tables(started=(6, 5), internal_offered=2, internal_interviewed=9)
    }
    withheld = suppress_tables(tables.values(), THRESHOLD)
    internal = withheld["recruitment_internal"]
    assert internal.cell("role-1", "internal_offered").text == "<5"
    assert internal.cell("role-1", "internal_offered_percent").text == "*"
    # The funnel prints the same share of offers: 20.0% of 10 offers would give the 2 back.
    assert tables["recruitment_funnel"].cell("role-1", "internal_offers").text == "20.0%"
    assert withheld["recruitment_funnel"].cell("role-1", "internal_offers").text == "*"
    assert withheld["recruitment_funnel"].cell("role-1", "offered").text == "10"


def test_medians_of_a_handful_of_starts_are_withheld_with_the_count():
    tables = funnel_tables(started=(6, 3))
    withheld = suppress_tables(tables, THRESHOLD)
    funnel, time = withheld["recruitment_funnel"], withheld["recruitment_time"]
    assert funnel.cell("role-2", "started").text == "<5"
    assert funnel.cell("role-1", "started").text == "*"  # 6 + 3 = the 9 of the total row
    assert time.cell("role-2", "to_start").text == "*" and time.cell("role-1", "to_start").text == "*"
    assert time.cell("role-2", "to_offer").text == "21"
    # Each row's shares are withheld beside its withheld counts.
    assert funnel.cell("role-2", "offer_rate").text == "*"
    counted = ["received", "interviewed", "offered", "accepted", "started"]
    assert_protected(tables[0], funnel, column_sums(tables[0], counted, apart=("newly_qualified",)))


def test_the_cost_per_start_is_withheld_when_the_starts_are():
    funnel = fr.funnel(start=START, end=END, campaign_cost="12000", starts=3)
    cost = sections.recruitment_section(funnel, WINDOW).table("recruitment_cost")
    withheld = suppress_tables([cost], THRESHOLD)["recruitment_cost"]
    assert withheld.cell("starts", "value").text == "<5"
    assert withheld.cell("cost_per_start", "value").text == "*"  # £4,000 a start: 12,000 / 3
    assert withheld.cell("cost", "value").text == "£12,000"


def test_leavers_under_three_years_cannot_give_back_the_under_one_year():
    analysis = fr.leavers_analysis(
        start=START, end=END, total=40, bands={"<1": 2, "1-3": 6, "3-5": 5, "5-10": 12, "10+": 15}
    )
    tables = {table.key: table for table in sections.leavers_section(analysis, WINDOW).tables}
    withheld = suppress_tables(tables.values(), THRESHOLD)
    bands, headline = withheld["leavers_by_service"], withheld["leavers_summary"]
    # Within the bands, 5 is the smallest other; but under 3 years (8) = under 1 (2) + 1 to 3 (6).
    assert bands.cell("<1", "count").text == "<5" and headline.cell("under_1_year", "count").text == "<5"
    assert bands.cell("3-5", "count").text == "*" and bands.cell("1-3", "count").text == "*"
    assert headline.cell("under_3_years", "count").text == "8"
    sums = column_sums(tables["leavers_by_service"], ["count"])
    assert_protected(tables["leavers_by_service"], bands, sums)


def test_only_tables_of_people_are_withheld():
    table = Table(
        key="strategy",
        title="Actions",
        columns=(Column("status", ""), Column("actions", "Actions")),
        rows=(
            Row("done", (text_cell("Done"), count_cell(2))),
            Row("total", (text_cell("Total"), count_cell(9)), total=True),
        ),
        people=False,
    )
    assert suppress_tables([table], THRESHOLD) == {}


def test_every_table_the_structure_names_is_one_the_paper_has(worked_example, monkeypatch):
    from reporting.summary import build_committee_summary

    fr.install_stubs(monkeypatch)
    summary = build_committee_summary(as_of=dt.date(2019, 6, 30), comparison_dates=[])
    keys = {table.key for table in summary.tables()}
    named = set(suppression.STRUCTURE) | {
        ref.table for link in suppression.LINKS for ref in (link.first, *link.others)
    }
    assert named <= keys
    for link in suppression.LINKS:
        for ref in (link.first, *link.others):
            assert any(column.key == ref.column for column in summary.table(ref.table).columns), ref
