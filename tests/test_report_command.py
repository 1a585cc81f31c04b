"""``manage.py committee_report``: the paper from the command line, and a one-line error
with a non-zero exit for a bad date, an unknown scope or a path it cannot write."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from reporting import services
from reporting.management.commands.committee_report import Command
from reporting.models import ExportLog
from tests import factories_reporting as fr

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("committee_report", *args, stdout=out)
    return out.getvalue()


def test_writes_the_figures_as_json(worked_example, tmp_path):
    output = tmp_path / "figures.json"
    message = run("--as-at", "2019-06-30", "--format", "json", "--output", str(output))
    assert message.startswith("Wrote JSON of the figures as at 30 June 2019 (All teams)")
    data = json.loads(output.read_text())
    assert data["dates"] == ["2018-03-31", "2018-12-31", "2019-03-31", "2019-06-30"]
    measures = data["sections"][0]["tables"][0]
    vacancy = next(row for row in measures["rows"] if row["key"] == "vacancy")
    assert vacancy["figures"]["2019-06-30"]["text"] == "42.2% (1.9)"
    entry = ExportLog.objects.get()
    assert (entry.via, entry.format, entry.user, entry.report) == ("command line", "json", None, None)


def test_a_scope_and_comparison_dates_narrow_the_figures(worked_example, tmp_path):
    output = tmp_path / "team.xlsx"
    team = worked_example["team"]
    run(
        "--as-at",
        "2019-06-30",
        "--scope",
        f"team:{team.name}",
        "--comparison-dates",
        "2019-03-31",
        "--format",
        "xlsx",
        "--output",
        str(output),
    )
    book = load_workbook(output)
    assert book["Contents"]["B3"].value == team.name
    header = [cell.value for cell in book["Turnover, vacancy and agency"][1]]
    assert header[1] == "Baseline (March 2019)" and header[3] == "June 2019"


def test_a_published_report_gives_its_frozen_paper(worked_example, tmp_path):
    report = fr.report(conclusion="Agency use remains high.")
    services.publish_report(report=report, user=None)
    output = tmp_path / "paper.html"
    run("--report", str(report.pk), "--format", "html", "--output", str(output))
    html = output.read_text()
    assert "Agency use remains high." in html and "42.2% (1.9)" in html
    assert ExportLog.objects.get().report == report


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-at", "2019-13-01"], "--as-at: '2019-13-01' is not a date in the form YYYY-MM-DD."),
        (["--as-at", "2019-06-30", "--scope", "team:Atlantis"], "--scope: Unknown team 'Atlantis'."),
        (["--as-at", "2019-06-30", "--scope", "galaxy"], "--scope: Unknown scope 'galaxy'"),
        (["--as-at", "2019-06-30", "--comparison-dates", "2019-07-31"], "on or before the as-at date"),
        (["--report", "999"], "--report: there is no committee report 999."),
        ([], "--as-at is required"),
    ],
)
def test_bad_input_is_a_one_line_error(db, tmp_path, args, message):
    with pytest.raises(CommandError) as error:
        run(*args, "--format", "pdf", "--output", str(tmp_path / "out.pdf"))
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert not (tmp_path / "out.pdf").exists()


def test_an_unwritable_path_is_a_one_line_error(db, tmp_path):
    with pytest.raises(CommandError, match="the folder .* does not exist"):
        run("--as-at", "2019-06-30", "--format", "csv", "--output", str(tmp_path / "missing" / "out.zip"))
    with pytest.raises(CommandError, match="is a folder"):
        run("--as-at", "2019-06-30", "--format", "csv", "--output", str(tmp_path))


def test_from_the_shell_an_error_exits_non_zero_with_one_line(db, tmp_path, monkeypatch, capsys):
    # Django closes connections after a command run from the shell; keep the test's open.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(
            ["manage.py", "committee_report", "--as-at", "30/06/2019", "--format", "pdf", "--output", "x.pdf"]
        )
    assert exit_.value.code == 1
    error = capsys.readouterr().err
    assert error == "CommandError: --as-at: '30/06/2019' is not a date in the form YYYY-MM-DD.\n"


def test_json_without_output_goes_to_standard_output(worked_example):
    """The issue's own command, with no --output: the JSON itself on standard output, each
    section's window in it, and the export logged as any other."""
    data = json.loads(
        run(
            "--as-at", "2019-06-30", "--window-start", "2018-07-01", "--window-end", "2019-05-31",
            "--format", "json",
        )
    )  # fmt: skip
    assert data["dates"] == ["2018-03-31", "2018-12-31", "2019-03-31", "2019-06-30"]
    windows = {section["key"]: section.get("window") for section in data["sections"] if section.get("window")}
    assert windows and all(w["start"] == "2018-07-01" and w["end"] == "2019-05-31" for w in windows.values())
    assert ExportLog.objects.get().format == "json"


@pytest.mark.parametrize("format", ["pdf", "docx", "xlsx", "csv"])
def test_a_format_that_is_not_text_needs_output(worked_example, format):
    with pytest.raises(CommandError, match=r"^--output is needed for .*, which is not text"):
        run("--as-at", "2019-06-30", "--format", format)
    assert not ExportLog.objects.exists()
