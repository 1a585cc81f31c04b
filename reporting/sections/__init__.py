"""The sections of the committee summary, one module per part of the paper.

Each section builder turns what the selectors return into tables of cells (number and
printed text), charts and footnote keys; nothing here reads the database.
``reporting.summary.build_committee_summary`` reads the selectors and calls the builders
in the order the paper prints them.

How a section receives its window: a section counted over a period (starters,
recruitment, leavers, reasons and destinations, absence, agency spend) has a key in
``foundation.windows.SECTION_WINDOWS``. ``build_committee_summary`` resolves the
report's windows once (``windows[key]``, a ``foundation.windows.Window``: the report's
own window for that section, else its default, else the 12 months to the as-at date),
asks the selectors for that window's figures and passes the builder both; the builder
returns a ``Section`` with ``window`` set, so the paper's heading, the drafted sentence
and the JSON all say the window used. A new section counted over a window adds its key
to ``SECTION_WINDOWS`` (the admin and ``--window KEY=START:END`` follow) and one line to
``build_committee_summary``'s list of parts. A section at a date (the establishment,
experience, strategy) has ``window`` None.
"""

from reporting.sections.absence import absence_section
from reporting.sections.agency_spend import agency_spend_section
from reporting.sections.establishment import (
    agency_section,
    experience_section,
    measures_section,
    permanent_fill_section,
    vacancies_section,
)
from reporting.sections.leavers import leavers_section, reasons_section
from reporting.sections.recruitment import recruitment_section
from reporting.sections.starters import starters_section
from reporting.sections.strategy import strategy_section

__all__ = [
    "absence_section",
    "agency_section",
    "agency_spend_section",
    "experience_section",
    "leavers_section",
    "measures_section",
    "permanent_fill_section",
    "reasons_section",
    "recruitment_section",
    "starters_section",
    "strategy_section",
    "vacancies_section",
]
