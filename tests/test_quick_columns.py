"""``workforce.tables.QuickDateColumn`` writes dates exactly as django-tables2's
``DateColumn`` does, without compiling a template for every cell."""

import datetime as dt

import django_tables2 as tables
import pytest

from workforce.tables import QuickDateColumn

ROWS = [{"day": dt.date(2019, 6, 30)}, {"day": dt.date(2024, 1, 5)}, {"day": None}]


class Templated(tables.Table):
    day = tables.DateColumn(format="j M Y")
    short = tables.DateColumn(accessor="day", format="d/m/Y")


class Quick(tables.Table):
    day = QuickDateColumn(format="j M Y")
    short = QuickDateColumn(accessor="day", format="d/m/Y")


@pytest.mark.parametrize("column", ["day", "short"])
def test_same_text_for_each_date_and_for_none(column):
    templated = [row.get_cell(column) for row in Templated(ROWS).rows]
    quick = [row.get_cell(column) for row in Quick(ROWS).rows]
    assert [str(cell) for cell in quick] == [str(cell) for cell in templated]
    assert [str(cell) for cell in quick][:2] in (["30 Jun 2019", "5 Jan 2024"], ["30/06/2019", "05/01/2024"])
    assert str(quick[2]) == "—"
