"""A window per section: any start and end, the 12 months to the as-at date by default,
set on the command line and in the admin, and given in each section's heading and the JSON."""

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from foundation.windows import (
    SECTION_KEYS,
    Window,
    WindowError,
    default_window,
    parse_section_window,
    parse_window,
    resolve_windows,
)
from reporting.admin import CommitteeReportForm
from reporting.models import CommitteeReport
from reporting.outline import outline
from reporting.summary import build_committee_summary

AS_AT = dt.date(2016, 6, 30)
ROOT = Path(__file__).resolve().parent.parent


def test_the_default_window_is_the_12_months_to_the_as_at_date():
    window = default_window(AS_AT)
    assert (window.start, window.end) == (dt.date(2015, 7, 1), AS_AT)
    assert window.phrase == "the 12 months to 30 June 2016" and window.days == 366
    assert Window(dt.date(2014, 4, 1), dt.date(2016, 5, 31)).phrase == "the 26 months to 31 May 2016"
    assert (
        Window(dt.date(2014, 4, 2), dt.date(2016, 5, 31)).phrase == "the period 2 April 2014 to 31 May 2016"
    )


def test_windows_are_read_and_refused_in_one_line():
    assert parse_section_window("leavers=2014-04-01:2016-05-31") == (
        "leavers",
        Window(dt.date(2014, 4, 1), dt.date(2016, 5, 31)),
    )
    assert parse_section_window("agency-spend=2016-04-01:2016-05-31")[0] == "agency_spend"
    for text in ("leavers=2016-05-31:2014-04-01", "sickness=2014-04-01:2016-05-31", "leavers=2014-04-01"):
        with pytest.raises(WindowError) as error:
            parse_section_window(text)
        assert "\n" not in str(error.value)
    with pytest.raises(WindowError, match="after the as-at date"):
        resolve_windows(AS_AT, overrides={"reasons": parse_window("2015-04-01:2016-07-31")})


def test_each_section_has_its_own_window(db):
    windows = {"leavers": Window(dt.date(2014, 4, 1), dt.date(2016, 5, 31))}
    summary = build_committee_summary(as_of=AS_AT, comparison_dates=[], windows=windows, window_months=14)
    assert summary.section("leavers").window == windows["leavers"]
    assert summary.section("reasons").window == Window(dt.date(2015, 5, 1), AS_AT)  # the 14 months
    assert summary.section("measures").window is None
    headings = {part.key: part.title for part in outline(summary).parts}
    assert headings["leavers"] == "Analysis of leavers: 1 April 2014 to 31 May 2016"
    assert headings["starters"] == "Starters: 1 May 2015 to 30 June 2016"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("committee_report", *args, stdout=out)
    return out.getvalue()


def test_the_command_gives_each_sections_window_in_the_json(db, tmp_path):
    output = tmp_path / "paper.json"
    run(
        "--as-at", "2016-06-30", "--window-start", "2014-04-01", "--window-end", "2016-05-31",
        "--window", "reasons=2015-04-01:2016-05-31", "--format", "json", "--output", str(output),
    )  # fmt: skip
    data = json.loads(output.read_text())
    windows = {section["key"]: section["window"] for section in data["sections"]}
    assert set(data["windows"]) == set(SECTION_KEYS)
    for key in SECTION_KEYS:
        expected = "2015-04-01" if key == "reasons" else "2014-04-01"
        assert windows[key] == data["windows"][key]
        assert (windows[key]["start"], windows[key]["end"]) == (expected, "2016-05-31")
    assert windows["measures"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--window-start", "2016-05-31", "--window-end", "2014-04-01"),
            "ends (2014-04-01) before it starts",
        ),
        (("--window-start", "2015-07-01", "--window-end", "2016-07-31"), "after the as-at date (2016-06-30)"),
        (
            ("--window", "leavers=2014-04-01:2016-07-31"),
            "The leavers window ends (2016-07-31) after the as-at",
        ),
        (("--window", "leavers=2016-05-31:2014-04-01"), "ends before it starts"),
        (("--window", "turnover=2014-04-01:2016-05-31"), "does not name a section"),
    ],
)
def test_a_window_that_cannot_be_used_is_refused_in_one_line(db, tmp_path, args, message):
    with pytest.raises(CommandError) as error:
        run("--as-at", "2016-06-30", *args, "--format", "json", "--output", str(tmp_path / "x.json"))
    assert message in str(error.value) and "\n" not in str(error.value)
    assert not (tmp_path / "x.json").exists()


def test_the_refusal_is_one_line_on_the_terminal(db, tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "committee_report", "--as-at", "2016-06-30",
         "--window-start", "2016-04-01", "--window-end", "2015-05-31",
         "--format", "json", "--output", str(tmp_path / "x.json")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("CommandError")]
    assert errors == [
        "CommandError: --window-start/--window-end: "
        "The window ends (2015-05-31) before it starts (2016-04-01)."
    ]


def form_data(**overrides):
    data = {
        "title": "Paper",
        "committee": "Cabinet Committee",
        "meeting_date": "2016-09-20",
        "as_at": "2016-06-30",
        "comparison_dates": "",
        "scope": "all",
        "window_months": "12",
    }
    return {**data, **overrides}


def test_the_admin_sets_a_sections_window_and_refuses_one_past_the_as_at_date(db):
    form = CommitteeReportForm(
        data=form_data(window_leavers_start="2014-04-01", window_leavers_end="2016-05-31")
    )
    assert form.is_valid(), form.errors
    report = form.save()
    assert report.section_windows == {"leavers": "2014-04-01:2016-05-31"}
    assert report.windows()["leavers"] == Window(dt.date(2014, 4, 1), dt.date(2016, 5, 31))
    assert CommitteeReportForm(instance=report)["window_leavers_start"].initial == dt.date(2014, 4, 1)
    late = CommitteeReportForm(
        data=form_data(window_reasons_start="2015-04-01", window_reasons_end="2016-07-31")
    )
    assert not late.is_valid()
    assert "The reasons for leaving and destinations window ends (2016-07-31) after the as-at date" in str(
        late.errors
    )
    half = CommitteeReportForm(data=form_data(window_leavers_start="2014-04-01"))
    assert not half.is_valid() and "window_leavers_end" in half.errors
    default = CommitteeReportForm(data=form_data(window_start="2014-04-01", window_end="2016-07-31"))
    assert not default.is_valid() and "window_end" in default.errors


def test_the_admin_form_has_a_pair_of_dates_for_every_section_window():
    declared = set(CommitteeReportForm.declared_fields)
    assert {f"window_{key}_{end}" for key in SECTION_KEYS for end in ("start", "end")} <= declared
    assert CommitteeReport._meta.get_field("window_start").help_text
