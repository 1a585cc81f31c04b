"""python manage.py forecast: JSON or CSV, to standard output or a file; bad input is one line."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from planning.models import LeverKind
from tests import factories
from tests import factories_planning as planning_f
from tests.test_forecast import AS_OF, small_team  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("forecast", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json_on_standard_output(small_team):  # noqa: F811
    data = json.loads(run("--as-at", AS_OF.isoformat(), "--quarters", "4", "--format", "json"))
    assert data["quarter_ends"] == ["2024-09-30", "2024-12-31", "2025-03-31", "2025-06-30"]
    first = data["base"]["quarters"][0]
    # The notice leaver goes; nothing was filled in the year before, so no vacancy is filled at a rate.
    assert (first["establishment"], first["in_post"], first["vacancy"]) == ("10.0000", "7.0000", "3.0000")
    assert "scenario" not in data


def test_csv_to_a_file_with_a_scenario(small_team, tmp_path):  # noqa: F811
    owner = factories.user("dir", "director", staff=True)
    planning_f.scenario(
        owner=owner,
        name="Stop capacity",
        levers=[planning_f.lever(LeverKind.CAPACITY, starts_on=AS_OF)],
    )
    output = tmp_path / "forecast.csv"
    run(
        "--as-at",
        str(AS_OF),
        "--quarters",
        "6",
        "--scenario",
        "stop capacity",
        "--format",
        "csv",
        "--output",
        str(output),
    )
    rows = list(csv.DictReader(output.open()))
    assert [row["series"] for row in rows] == ["base"] * 7 + ["scenario: Stop capacity"] * 7
    assert rows[1]["date"] == "2024-09-30" and rows[1]["vacancy_rate_low"] and rows[1]["vacancy_rate_high"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--as-at", "30/06/2024"], "--as-at: '30/06/2024' is not a date in the form YYYY-MM-DD."),
        (["--as-at", "2024-06-30", "--quarters", "9"], "--quarters: give 4 to 8, not 9."),
        (["--as-at", "2024-06-30", "--format", "xml"], "--format: 'xml' is not one of json or csv."),
        (
            ["--as-at", "2024-06-30", "--scenario", "Nowhere"],
            "--scenario: there is no scenario called 'Nowhere'.",
        ),
        (["--as-at", "2024-06-30", "--scope", "team:Nowhere"], "--scope: Unknown team 'Nowhere'."),
        (
            ["--as-at", "2024-06-30", "--output", "/no/such/folder/f.json"],
            "the folder /no/such/folder does not exist",
        ),
    ],
)
def test_bad_input_is_a_one_line_error(small_team, args, message):  # noqa: F811
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_a_bad_date_exits_non_zero_with_one_line(db):
    done = subprocess.run(
        [sys.executable, "manage.py", "forecast", "--as-at", "tomorrow"], capture_output=True, text=True
    )
    assert done.returncode != 0
    assert (
        done.stderr.strip().splitlines()[-1]
        == "CommandError: --as-at: 'tomorrow' is not a date in the form YYYY-MM-DD."
    )


def test_the_backtest_writes_the_errors(small_team):  # noqa: F811
    data = json.loads(run("--as-at", "2024-07-15", "--backtest"))
    assert [row["quarters_ahead"] for row in data["accuracy"]] == [1, 2, 4]
    assert data["compared_with_records_to"] == "2024-06-30"
