"""One date style, GOV.UK's, everywhere; dates read as people type them (foundation.dates,
foundation.inputs), and FTEs shown in a box as typed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone
from django.utils.formats import date_format

from foundation.dates import clock_time, long_date, long_datetime, parse_date, short_date, typed_date
from foundation.inputs import DateTextField, FteInput, GovukDateField
from foundation.measures import format_fte_exact

D = dt.date


def test_dates_are_written_as_govuk_writes_them():
    assert long_date(D(2026, 12, 4)) == "4 December 2026"
    assert short_date(D(2026, 12, 4)) == "4 Dec 2026"
    assert short_date(D(2026, 9, 30)) == "30 Sep 2026"
    assert typed_date(D(2019, 6, 30)) == "30/6/2019"


@pytest.mark.parametrize(
    ("hour", "minute", "text"),
    [(15, 15, "3:15pm"), (9, 0, "9am"), (12, 0, "12 noon"), (0, 0, "12 midnight"), (0, 5, "12:05am")],
)
def test_times_are_written_as_govuk_writes_them(hour, minute, text):
    assert clock_time(dt.time(hour, minute)) == text


def test_a_moment_is_written_with_its_date_and_time():
    assert long_datetime(dt.datetime(2026, 12, 4, 15, 15)) == "4 December 2026 at 3:15pm"


@pytest.mark.parametrize(
    "text",
    [
        "30/6/2019",
        "30/06/2019",
        "30-6-2019",
        "30.6.2019",
        "30 6 2019",
        " 30 / 6 / 2019 ",
        "2019-06-30",
        "30 June 2019",
        "30 Jun 2019",
        "30th June 2019",
        "30 june 2019",
    ],
)
def test_what_people_type_is_read_day_first(text):
    assert parse_date(text) == D(2019, 6, 30)


@pytest.mark.parametrize(
    "text", ["31/6/2019", "30/13/2019", "30/6/19", "6/30/2019", "June", "", "30 Juno 2019"]
)
def test_what_is_not_a_date_is_not_read_as_one(text):
    assert parse_date(text) is None


def test_djangos_own_formats_are_the_same_style_so_the_admin_agrees():
    assert date_format(D(2026, 12, 4)) == "4 December 2026"
    assert date_format(D(2026, 12, 4), "SHORT_DATE_FORMAT") == "4 Dec 2026"
    assert forms.DateField().clean("30/6/2019") == D(2019, 6, 30)  # the admin's date boxes


def test_every_template_has_the_date_filters():
    moment = timezone.make_aware(dt.datetime(2026, 7, 4, 9, 30))
    rendered = Template(
        "{{ d|long_date }}|{{ d|short_date }}|{{ m|long_datetime }}|{{ n|long_date }}"
    ).render(Context({"d": D(2026, 12, 4), "m": moment, "n": None}))
    assert rendered == "4 December 2026|4 Dec 2026|4 July 2026 at 9:30am|"


class ConversationForm(forms.Form):
    held_on = GovukDateField(label="Date of the conversation")


def test_the_govuk_date_input_reads_day_month_and_year():
    form = ConversationForm({"held_on-day": "4", "held_on-month": "12", "held_on-year": "2026"})
    assert form.is_valid() and form.cleaned_data["held_on"] == D(2026, 12, 4)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date"),
        ("4", "", "2026", "The date must include a month"),
        ("", "", "2026", "The date must include a day and a month"),
        ("31", "6", "2026", "The date must be a real date"),
        ("4", "Dec", "2026", "The date must be a real date"),
        ("4", "12", "26", "The year must include 4 numbers"),
    ],
)
def test_the_govuk_date_input_says_what_is_wrong_as_govuk_words_it(day, month, year, message):
    form = ConversationForm({"held_on-day": day, "held_on-month": month, "held_on-year": year})
    assert not form.is_valid() and form.errors["held_on"] == [message]


def test_the_govuk_date_input_keeps_what_was_typed_when_it_is_wrong():
    form = ConversationForm({"held_on-day": "31", "held_on-month": "6", "held_on-year": "2026"})
    html = str(form["held_on"])
    assert 'name="held_on-day"' in html and 'value="31"' in html and 'value="6"' in html
    assert 'type="date"' not in html and 'inputmode="numeric"' in html


def test_the_govuk_date_input_also_reads_one_posted_date():
    assert ConversationForm({"held_on": "2026-12-04"}).is_valid()
    shown = str(ConversationForm(initial={"held_on": D(2019, 6, 30)})["held_on"])
    assert 'id="id_held_on-day"' in shown and 'value="30"' in shown and 'value="2019"' in shown


class FilterForm(forms.Form):
    as_of = DateTextField(required=False)


def test_a_single_date_box_reads_what_people_type_and_shows_the_date_as_typed():
    assert FilterForm({"as_of": "30/6/2019"}).is_valid()
    form = FilterForm({"as_of": "31/6/2019"})
    assert not form.is_valid() and form.errors["as_of"] == ["Enter a real date, like 30/6/2019"]
    box = str(FilterForm(initial={"as_of": D(2019, 6, 30)})["as_of"])
    assert 'type="text"' in box and 'value="30/6/2019"' in box
    assert 'value="30/6/2019"' in str(FilterForm({"as_of": "2019-06-30"})["as_of"])  # a link's date
    assert 'value="31/6/2019"' in str(FilterForm({"as_of": "31/6/2019"})["as_of"])  # kept as typed


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("1.0000", "1.0"), ("0.6000", "0.6"), ("0.2500", "0.25"), ("0.5000", "0.5"), ("0.1234", "0.1234")],
)
def test_an_fte_box_shows_the_exact_value_without_trailing_zeros(stored, shown):
    assert format_fte_exact(Decimal(stored)) == shown
    assert f'value="{shown}"' in FteInput().render("fte", Decimal(stored))
