"""An HR extract of new records, as the CSV files ``import_workforce`` reads, for timing the importer.

``extract_files(rows=10_000, ...)`` returns posts, workers and assignments files that
add up to ``rows`` rows and import cleanly into a generated database: new posts (some
job shares) in its existing teams, each held by a new employee or covered by a new
agency worker. References start with ``IMP`` so they never meet the generated ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

POST_HEADINGS = ["post_reference", "team", "role", "fte", "active_from", "funding"]
WORKER_HEADINGS = [
    "staff_reference",
    "first_name",
    "last_name",
    "swe_number",
    "date_qualified",
    "service_start",
    "start_origin",
    "birth_date",
    "gender",
    "ethnicity",
    "qualification_level",
    "qualifying_institution",
]
ASSIGNMENT_HEADINGS = [
    "staff_reference",
    "post_reference",
    "start",
    "end",
    "fte",
    "contract",
    "agency_reason",
    "agency_supplier",
    "weekly_charge",
]


def _csv(headings: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def extract_files(*, rows: int, teams: Sequence[str], today: dt.date) -> dict[str, bytes]:
    """Return {file name: CSV bytes} of posts, workers and assignments adding up to ``rows`` rows.

    About 30% of the rows are posts and the rest are workers and their assignments, one
    each: a sixth of the posts are covered by an agency worker, some are job shares held
    by two half-time employees, the rest are held by one employee.
    """
    if rows < 10:
        raise ValueError("An extract needs at least 10 rows.")
    if not teams:
        raise ValueError("The extract's posts need teams to go in: generate a workforce first.")
    post_count = round(rows * 0.3)
    if (rows - post_count) % 2:
        post_count += 1
    people = (rows - post_count) // 2
    agency_posts = post_count // 6
    held = post_count - agency_posts
    job_shares = min(held, max(0, people - agency_posts - held))
    starts = today - dt.timedelta(days=400)

    posts, workers, assignments = [], [], []
    slots: list[tuple[str, str, str]] = []  # (post reference, fte, contract)
    for index in range(post_count):
        reference = f"IMP-{index + 1:06d}"
        posts.append([reference, teams[index % len(teams)], "Social Worker", "1", starts.isoformat(), ""])
        if index < agency_posts:
            slots.append((reference, "1", "agency"))
        elif index < agency_posts + job_shares:
            slots += [(reference, "0.5", "permanent"), (reference, "0.5", "permanent")]
        else:
            slots.append((reference, "1", "permanent"))
    for number, (reference, fte, contract) in enumerate(slots[:people], start=1):
        staff = f"IMPW{number:06d}"
        agency = contract == "agency"
        qualified = starts - dt.timedelta(days=700 + number % 2000)
        workers.append(
            [
                staff,
                "Imported",
                f"Worker{number}",
                f"IM{number:010d}",
                qualified.isoformat(),
                "" if agency else starts.isoformat(),
                "" if agency else "2",
                (qualified - dt.timedelta(days=9000)).isoformat(),
                "2",
                "WBRI",
                "1",
                "University of Kent",
            ]
        )
        assignments.append(
            [
                staff,
                reference,
                starts.isoformat(),
                "",
                fte,
                contract,
                "vacancy" if agency else "",
                "Hays Social Care" if agency else "",
                "1650.00" if agency else "",
            ]
        )
    return {
        "posts.csv": _csv(POST_HEADINGS, posts),
        "workers.csv": _csv(WORKER_HEADINGS, workers),
        "assignments.csv": _csv(ASSIGNMENT_HEADINGS, assignments),
    }
