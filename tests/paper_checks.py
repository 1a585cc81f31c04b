"""Checks of the printed committee paper, shared by the demo's and the scale tests: every
character inside the page's margins, no table caption left at the foot of a page, and no
measure printed with two different values."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pdfplumber

from foundation.measures import DASH
from reporting.figures import CommitteeSummary
from reporting.outline import outline

CM = 72 / 2.54
MARGIN = 2 * CM  # the paper's left, right and top margins (paper_document.html)
BOTTOM = 2.2 * CM  # the bottom margin, where only the footer is printed
SLACK = 1.0  # points: the rounding of glyph boxes


def _footer_line(text: str) -> bool:
    return bool(re.search(r"Page \d+ of \d+$", text.strip()))


def layout_problems(content: bytes, summary: CommitteeSummary) -> list[str]:
    """Return every character or image outside the margins, and every page whose last line
    of body text is a table's caption (its table having gone to the next page)."""
    captions = [
        f"{table.appendix}: {table.title}" if table.appendix else table.title
        for part in outline(summary).parts
        for table in part.tables
    ] + [f"{table.appendix}: {table.title}" for table in outline(summary).appendix]
    problems = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            width, height = page.width, page.height
            for char in page.chars:
                inside_x = MARGIN - SLACK <= char["x0"] and char["x1"] <= width - MARGIN + SLACK
                in_body = MARGIN - SLACK <= char["top"] and char["bottom"] <= height - BOTTOM + SLACK
                in_footer = char["top"] >= height - BOTTOM and char["bottom"] <= height - CM / 2
                if not inside_x or not (in_body or in_footer):
                    where = f"({char['x0']:.0f}, {char['top']:.0f})"
                    problems.append(f"page {number}: {char['text']!r} at {where}")
            for image in page.images:
                if image["x0"] < MARGIN - SLACK or image["x1"] > width - MARGIN + SLACK:
                    problems.append(f"page {number}: an image runs past the side margins")
                if image["top"] < MARGIN - SLACK or image["bottom"] > height - BOTTOM + SLACK:
                    problems.append(f"page {number}: an image runs past the top or bottom margin")
            lines = [line["text"] for line in page.extract_text_lines() if line["top"] < height - BOTTOM]
            footer = [line["text"] for line in page.extract_text_lines() if line["top"] >= height - BOTTOM]
            if not any(_footer_line(text) for text in footer):
                problems.append(f"page {number}: no page number in the footer")
            # A caption prints as its title and the footnote marks after it.
            if lines and any(
                re.fullmatch(re.escape(caption) + r"[\d, ]*", lines[-1]) for caption in captions
            ):
                problems.append(f"page {number}: the caption “{lines[-1]}” is the last line on its page")
    return problems


class _Paper(HTMLParser):
    """Reads the printed paper's tables (by id: rows of cell texts) and paragraphs."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.paragraphs: dict[str, list[str]] = {}  # part key: its paragraphs' texts
        self.part = ""
        self.table = ""
        self.cell: list[str] | None = None
        self.paragraph: list[str] | None = None
        self.in_sup = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and (found.get("id") or "").startswith("part-"):
            self.part = found["id"][5:]
        elif tag == "table" and (found.get("id") or "").startswith("table-"):
            self.table = found["id"][6:]
            self.tables[self.table] = []
        elif tag == "tr" and self.table:
            self.tables[self.table].append([])
        elif tag in ("td", "th") and self.table:
            self.cell = []
        elif tag == "p" and "para" in (found.get("class") or "").split():
            self.paragraph = []
        elif tag == "sup":
            self.in_sup = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.table = ""
        elif tag in ("td", "th") and self.cell is not None:
            self.tables[self.table][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "p" and self.paragraph is not None:
            self.paragraphs.setdefault(self.part, []).append(" ".join("".join(self.paragraph).split()))
            self.paragraph = None
        elif tag == "sup":
            self.in_sup = False

    def handle_data(self, data: str) -> None:
        if self.in_sup:
            return
        if self.cell is not None:
            self.cell.append(data)
        if self.paragraph is not None:
            self.paragraph.append(data)


def read_paper(html: str) -> _Paper:
    """Return the tables and paragraphs of the paper printed as ``html``."""
    paper = _Paper()
    paper.feed(html)
    return paper


def _row(paper: _Paper, table: str, label: str) -> list[str]:
    return next(row for row in paper.tables[table] if row and row[0].startswith(label))


def _found(pattern: str, text: str) -> set[str]:
    return set(re.findall(pattern, text))


def _in_brackets(text: str) -> str:
    found = re.search(r"\(([^)]*)\)", text)
    return found.group(1) if found else text


def repeated_measures(html: str, summary: CommitteeSummary) -> dict[str, set[str]]:
    """Return, for each measure the paper prints in more than one place (tables and
    sentences), every text it is printed as: one text each when the paper agrees with itself."""
    paper = read_paper(html)
    said = {key: " ".join(texts) for key, texts in paper.paragraphs.items()}
    last = _row(paper, "permanent_fill", summary.dates[-1].strftime("%B %Y"))
    facts = {
        "establishment FTE": {
            _row(paper, "measures", "Establishment (FTE)")[-1],
            _row(paper, "vacancies_by_role", "Total")[1],
            last[1],
        },
        "in post FTE": {
            _row(paper, "measures", "Social workers in post (FTE)")[-1],
            _row(paper, "vacancies_by_role", "Total")[2],
        },
        "vacancy FTE": {
            _in_brackets(_row(paper, "measures", "Vacancy rate")[-1]),
            _row(paper, "vacancies_by_role", "Total")[3],
            last[2],
            *_found(r"In all, ([\d,.]+) FTE is vacant", said["vacancies"]),
        },
        "agency FTE": {
            _row(paper, "measures", "Agency workers (FTE)")[-1],
            _in_brackets(_row(paper, "measures", "Agency rate")[-1]),
            _row(paper, "agency_by_reason", "Total")[1],
            *_found(r"there were ([\d,.]+) FTE agency workers", said["agency"]),
        },
        "agency headcount": {
            _row(paper, "measures", "Agency workers (headcount)")[-1],
            _row(paper, "agency_by_reason", "Total")[2],
            *_found(r"\(([\d,]+) people\)", said["agency"]),
        },
        "posts filled by permanent staff": {
            _row(paper, "measures", "Posts filled by permanent staff")[-1],
            last[3],
            *_found(r"([\d.]+%) of posts were filled by permanent", said["permanent_fill"]),
        },
        "starters": {
            _row(paper, "starters_by_origin", "Total")[1],
            *_found(r"([\d,]+) employees? started", said["starters"]),
        },
        "agency spend": {
            _row(paper, "agency_spend", "Spend from")[1],
            *_found(r"Agency spend in .*? was (£\d[\d,]*\d)", said["resource_implications"]),
        },
    }
    # A rate with nothing to divide by prints "–" and no FTE beside it.
    facts = {name: {text for text in texts if text != DASH} for name, texts in facts.items()}
    if summary.section("leavers").window == summary.section("reasons").window:
        facts["leavers"] = {
            _row(paper, "leavers_summary", "Leavers")[1],
            _row(paper, "leavers_by_destination", "Leavers")[1],
            *_found(r"Of the ([\d,]+) leavers?", said["leavers"]),
            *_found(r"There (?:was|were) ([\d,]+) leavers?", said["reasons"]),
        }
    return facts
