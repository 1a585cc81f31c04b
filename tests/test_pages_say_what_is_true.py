"""Pages in the words their users use, saying what is true: the establishment's heading,
date and totals, the campaign page's empty states, the leavers analysis, the reports list,
the spreadsheet's sheet names, the charts' scales, the admin's FTEs, the accessibility
statement, and commands that print only what they are for."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse

from foundation.dates import long_date, typed_date
from foundation.periods import quarter_end_on_or_before
from pages.dashboard import BarRow, bar_scale
from pages.sparklines import sparkline
from reporting.exporters.spreadsheet import _sheet_title, shorten_words
from tests import factories
from tests import factories_leavers as lf
from tests import factories_recruitment as rf
from tests import factories_reporting as rpf

ROOT = Path(__file__).resolve().parent.parent
D = dt.date


def signed_in(client, username: str, group: str, **kwargs):
    client.force_login(factories.user(username, group, **kwargs))
    return client


# --- /establishment/ ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_establishment_shows_the_latest_quarter_end_unless_asked_and_says_so(client, worked_example):
    page = signed_in(client, "hr1", "hr").get(reverse("workforce:establishment"))
    quarter_end = quarter_end_on_or_before(dt.date.today())
    assert page.context["as_of"] == quarter_end  # as on the home page and the reports
    text = page.content.decode()
    assert f"Establishment on {long_date(quarter_end)}" in text
    assert f'name="as_of" value="{typed_date(quarter_end)}"' in text  # the box shows the date used
    assert f"See the establishment today ({long_date(dt.date.today())})" in text
    chosen = client.get(reverse("workforce:establishment"), {"as_of": "30/6/2019"})
    assert chosen.context["as_of"] == D(2019, 6, 30) and "See the establishment today" not in (
        chosen.content.decode()
    )


@pytest.mark.django_db
def test_the_establishment_heading_says_what_the_filters_chose(client, worked_example):
    area = worked_example["team"].service_area
    client = signed_in(client, "hr1", "hr")
    page = client.get(reverse("workforce:establishment"), {"as_of": "30/6/2019", "service_area": area.pk})
    assert (
        f'<span class="govuk-caption-l" id="establishment-scope">{area.name}</span>' in page.content.decode()
    )
    role = factories.role("team-manager")
    narrowed = client.get(
        reverse("workforce:establishment"),
        {"as_of": "30/6/2019", "team": worked_example["team"].pk, "role": role.pk, "agency_only": "on"},
    ).content.decode()
    assert "Worked Example Team: Team Manager posts, posts covered by agency workers only" in narrowed
    assert "All teams" not in narrowed.split("<main")[1].split("</h1>")[0]


@pytest.mark.django_db
def test_only_the_column_the_posts_are_sorted_by_shows_an_arrow(client, worked_example):
    client = signed_in(client, "hr1", "hr")
    default = client.get(reverse("workforce:establishment"), {"as_of": "30/6/2019"}).content.decode()
    assert default.count("aria-sort=") == 1 and 'aria-sort="ascending"><a href="?as_of=' in default
    by_vacancy = client.get(
        reverse("workforce:establishment"), {"as_of": "30/6/2019", "sort": "-vacancy_fte"}
    ).content.decode()
    assert by_vacancy.count("aria-sort=") == 1
    assert re.search(r'<th scope="col" class="[^"]*" aria-sort="descending"><a [^>]*>Vacancy FTE', by_vacancy)


@pytest.mark.django_db
def test_wide_tables_scroll_in_their_own_labelled_box(client, worked_example):
    page = signed_in(client, "hr1", "hr").get(reverse("workforce:establishment")).content.decode()
    assert '<div class="app-table-scroll" role="region" aria-label="Totals (scrolls sideways' in page
    assert '<div class="app-table-scroll" role="region" aria-label="Posts (scrolls sideways' in page
    assert page.count('tabindex="0"') >= 2
    rendered = Template("{% load govuk %}{% tablebox label %}<table></table>{% endtablebox %}").render(
        Context({"label": "Spend <by> supplier"})
    )
    assert rendered == (
        '<div class="app-table-scroll" role="region" aria-label="Spend &lt;by&gt; supplier" '
        'tabindex="0"><table></table></div>'
    )


# --- Recruitment ----------------------------------------------------------------------------


@pytest.fixture
def future_cohort(time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 15, 12, 0), tick=False)
    cohort = rf.campaign(
        title="ASYE cohort 2027",
        opens_on=D(2025, 10, 1),
        newly_qualified_cohort=True,
        cohort_starts_on=D(2027, 9, 1),
    )
    for _ in range(3):
        app = rf.application(cohort, received_on=D(2025, 10, 10), newly_qualified=True)
        rf.progress(app, to="accepted")
    return cohort


@pytest.mark.django_db
def test_a_period_of_newly_qualified_applications_only_does_not_say_none_were_received(client, future_cohort):
    page = signed_in(client, "hr1", "hr").get(reverse("recruitment:campaigns"))
    text = page.content.decode()
    assert "No applications received in this period" not in text
    assert "the 3 newly qualified applications are counted apart, on the last row" in text
    cohorts = text.split('<h2 class="govuk-heading-m">Newly qualified cohorts</h2>')[1]
    assert "ASYE cohort 2027" in cohorts and "Not started yet" in cohorts


@pytest.mark.django_db
def test_a_cohort_starting_later_is_not_started_yet_rather_than_zero_per_cent(client, future_cohort):
    text = signed_in(client, "hr1", "hr").get(reverse("recruitment:campaign", args=[future_cohort.pk]))
    text = text.content.decode()
    newly_qualified = text.split("Newly qualified (counted apart)")[1].split("</tr>")[0]
    assert newly_qualified.count(">100.0%<") == 3  # received to interviewed, offered, accepted
    assert "Not started yet" in newly_qualified
    assert ">0.0%<" not in newly_qualified
    assert "The cohort starts on 1 September 2027: nobody can have started yet" in text


@pytest.mark.django_db
def test_a_period_with_no_applications_says_so(client, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 15, 12, 0), tick=False)
    text = signed_in(client, "hr1", "hr").get(reverse("recruitment:campaigns")).content.decode()
    assert "No applications received in this period." in text


# --- Leavers and reports --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_leavers_analysis_names_things_in_words_and_folds_away_the_empty_rows(client):
    today = dt.date.today()
    team = factories.team("Children in Care North")
    lf.leaver(team=team, leaving_date=today - dt.timedelta(days=30))
    page = signed_in(client, "hr1", "hr").get(reverse("leavers:leavers")).content.decode()
    assert "ReasonLeave" not in page and ">Census reason<" in page
    by_category = page.split("<caption>By leaving category</caption>")[1].split("</section>")[0]
    assert ">0.0%<" not in by_category.split("</table>")[0]  # only categories with leavers are rows
    assert "Resignation to new employment" in by_category.split("</table>")[0]
    folded = by_category.split("</table>")[1]
    assert "more with none in the period" in folded and "Normal retirement" in folded


@pytest.mark.django_db
def test_the_reports_list_names_the_teams_covered_in_words(client, worked_example):
    area = worked_example["team"].service_area
    rpf.report(scope="case-holding")
    rpf.report(scope=f"service-area:{area.pk}", committee="Corporate Parenting Panel")
    rpf.report(scope=f"team:{worked_example['team'].pk}", committee="Scrutiny")
    page = (
        signed_in(client, "dir1", "director", staff=True).get(reverse("reporting:reports")).content.decode()
    )
    assert (
        ">Case-holding teams<" in page and f">{area.name}<" in page and ">Worked Example Team (team)<" in page
    )
    assert ">case-holding<" not in page and "service-area:" not in page and "team:" not in page


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Turnover, vacancy and agency rates", "Turnover, vacancy and agency"),
        ("Posts filled by permanent staff in case-holding teams", "Posts filled by permanent staff"),
        ("Agency workers by reason", "Agency workers by reason"),
        ("Vacancies: by role / grade", "Vacancies by role grade"),
        ("Averyveryveryverylongsinglewordthatneverends", "Averyveryveryverylongsinglewordt"[:31]),
    ],
)
def test_sheet_names_are_cut_at_a_word_never_mid_word(title, name):
    assert _sheet_title(title, set()) == name
    assert len(name) <= 31


def test_sheet_names_stay_unique_and_within_excels_limit():
    used: set[str] = set()
    names = [_sheet_title("Leavers by length of service and category of leaving", used) for _ in range(3)]
    # Never a dangling "of": "Leavers by length of (2)" would read as cut short.
    assert names == ["Leavers by length of service", "Leavers by length (2)", "Leavers by length (3)"]
    assert all(len(name) <= 31 for name in names)
    assert (
        shorten_words("Reasons given in exit conversations", 20) == "Reasons given in"[: len("Reasons given")]
    )


@pytest.mark.django_db
def test_every_sheet_of_a_real_paper_is_named_by_whole_words(worked_example):
    from openpyxl import load_workbook

    from foundation.periods import default_comparison_dates
    from reporting.exporters import EXPORTERS
    from reporting.summary import build_committee_summary

    day = D(2019, 6, 30)
    summary = build_committee_summary(as_of=day, comparison_dates=default_comparison_dates(day))
    _, _, content = EXPORTERS["xlsx"].render(summary)
    import io

    book = load_workbook(io.BytesIO(content))
    titles = {table.title for table in summary.tables()}
    for name in book.sheetnames[1:-1]:  # between Contents and Definitions
        assert len(name) <= 31
        plain = re.sub(r" \(\d+\)$", "", name)
        assert any(" ".join(title.split()).replace(":", " ").startswith(plain) for title in titles), name
        assert any(re.match(re.escape(plain) + r"(\W|$)", " ".join(title.split())) for title in titles), name
    assert len(set(book.sheetnames)) == len(book.sheetnames)


# --- Charts ---------------------------------------------------------------------------------


def test_a_sparkline_is_labelled_with_its_highest_and_lowest_figure():
    line = sparkline(
        [Decimal("12.2"), Decimal("9.5"), None, Decimal("14.1")],
        first_label="Dec 2024",
        last_label="Sep 2026",
        description="Vacancy rate",
    )
    assert [label.text for label in line.axis_labels] == ["14.1%", "9.5%"]
    highest, lowest = line.axis_labels
    assert highest.y == min(p.y for p in line.points) and lowest.y == max(p.y for p in line.points)
    assert lowest.text_y - highest.text_y >= 14  # the two labels never overlap
    assert all(point.x > line.axis_x for point in line.points)


def test_a_column_of_bars_says_what_its_longest_bar_stands_for():
    rows = (BarRow("Social Worker", "14.8", "7.6%", 100), BarRow("Team Manager", "2.8", "11.2%", 18))
    assert bar_scale(rows) == "14.8 FTE"
    assert bar_scale(()) == "0 FTE"


@pytest.mark.django_db
def test_the_home_page_charts_carry_their_scale(client, worked_example, time_machine):
    time_machine.move_to(dt.datetime(2019, 7, 15, 12, 0), tick=False)
    page = signed_in(client, "hr1", "hr").get(reverse("home")).content.decode()
    assert page.count('class="app-sparkline__axis"') == 6  # five measures and the caseload
    assert re.search(
        r'<span class="app-bar-scale"><span>0</span><span class="govuk-visually-hidden"> to </span>'
        r"<span>[\d.]+ FTE</span>",
        page,
    )


# --- The admin in the product's clothes --------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_wears_the_products_header_and_shows_ftes_as_the_papers_print_them(client):
    team = factories.team("Front Door North")
    post = factories.post(team=team, reference="FDN-1", fte="0.25")
    factories.assign(post, fte="0.25")
    client = signed_in(client, "hr1", "hr", staff=True)
    listed = client.get(reverse("admin:workforce_post_changelist")).content.decode()
    assert 'class="app-header__service-name"' in listed and "build/admin.css" in listed
    assert "0.2500" not in listed and '<td class="field-fte_shown">0.3</td>' in listed
    # Dates in the list as tables write them ("1 Apr 2012"); an empty one as a dash.
    assert re.search(r'<td class="field-active_from_shown">\d{1,2} [A-Z][a-z]{2} \d{4}</td>', listed)
    form = client.get(reverse("admin:workforce_post_change", args=[post.pk])).content.decode()
    assert 'name="fte" value="0.25"' in form  # the exact value, to edit
    assert 'name="assignments-0-fte" value="0.25"' in form and 'aria-label="FTE"' in form
    leaver = lf.leaver(team=team, leaving_date=dt.date.today() - dt.timedelta(days=10))
    shown = client.get(reverse("admin:leavers_leaver_change", args=[leaver.pk])).content.decode()
    assert '<div class="readonly">1.0</div>' in shown and "1.0000" not in shown


# --- Statement, icon, quiet commands ----------------------------------------------------------


@pytest.mark.django_db
def test_the_accessibility_statement_is_open_to_everyone_and_linked_from_every_page(client):
    statement = client.get(reverse("pages:accessibility"))
    assert statement.status_code == 200
    text = statement.content.decode()
    for needed in (
        "Compliance status",
        "partially compliant",
        "Reporting accessibility problems",
        "Enforcement procedure",
        "Equality and Human Rights Commission",
        "This statement was prepared on 4 December 2026",
    ):
        assert needed in text
    sign_in = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("pages:accessibility")}">Accessibility statement</a>' in sign_in
    assert 'rel="icon" href="/static/favicon.svg"' in sign_in
    assert client.get("/favicon.ico")["Location"] == "/static/favicon.svg"


def test_commands_do_not_print_django_axes_start_up_lines():
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0
    assert "AXES" not in done.stdout + done.stderr
