"""DfE's quarterly return on agency child and family social workers (a legal duty): built from
the records (``build``), laid out in DfE's columns (``columns``, the one mapping), written as
CSV (``writer``), with pre-checks that list what is missing (``prechecks``)."""

from dataio.agency_return.build import (
    AgencyReturn,
    ReturnProblem,
    ReturnRow,
    build_agency_return,
    prechecks,
    quarter_dates,
)
from dataio.agency_return.columns import COLUMNS, ReturnColumn
from dataio.agency_return.writer import render_csv, safe_cell

__all__ = [
    "COLUMNS",
    "AgencyReturn",
    "ReturnColumn",
    "ReturnProblem",
    "ReturnRow",
    "build_agency_return",
    "prechecks",
    "quarter_dates",
    "render_csv",
    "safe_cell",
]
