"""Form fields for dates and FTEs as people type them.

Dates, never the browser's own date picker:

The browser's ``<input type="date">`` shows and reads dates in the browser's locale
(mm/dd/yyyy on many laptops), so the product's forms use instead:

- ``GovukDateField``: GOV.UK's date input, three boxes for day, month and year, with
  GOV.UK's messages ("The date must include a month", "The date must be a real date");
- ``DateTextField``: one box that reads what people type ("30/6/2019", "30 June 2019",
  "2019-06-30") and shows the date as "30/6/2019": for filter panels, where a single box
  fits better.

Both read a plain ISO or typed date posted under the field's own name too, so links and
scripts that post ``held_on=2026-01-31`` keep working.

FTEs: ``FteInput`` shows a stored "0.6000" as "0.6" and "1.0000" as "1.0", the exact value
without the database's trailing zeros.

No models, no queries: the floors above (``access``, ``workforce``, ``leavers``, ``pages``)
all use them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from foundation.dates import EXAMPLE, make_date, parse_date, typed_date
from foundation.measures import format_fte_exact

PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))
ERROR_CLASS = "govuk-input--error"
DEFAULT_HINT = "For example, 30 6 2019"


class GovukDateInput(forms.Widget):
    """GOV.UK's date input: three labelled boxes named ``NAME-day``, ``NAME-month``, ``NAME-year``."""

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> Any:
        parts = tuple(data.get(f"{name}-{part}") for part, _, _ in PARTS)
        if all(part is None for part in parts):
            return data.get(name)  # one posted value ("2026-01-31"), or nothing
        return tuple((part or "").strip() for part in parts)

    def value_omitted_from_data(self, data: Mapping[str, Any], files: Any, name: str) -> bool:
        return name not in data and all(f"{name}-{part}" not in data for part, _, _ in PARTS)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}-day" if id_ else id_

    @staticmethod
    def parts_of(value: Any) -> tuple[str, str, str]:
        """Return what the three boxes show for ``value`` (a date, the typed parts or a string)."""
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return str(value.day), str(value.month), str(value.year)
        if isinstance(value, list | tuple) and len(value) == 3:
            return tuple(str(part or "") for part in value)  # type: ignore[return-value]
        if isinstance(value, str) and value:
            day = parse_date(value)
            if day is not None:
                return str(day.day), str(day.month), str(day.year)
        return "", "", ""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        attrs = {**self.attrs, **(attrs or {})}
        base_id = attrs.get("id") or f"id_{name}"
        error = ERROR_CLASS in str(attrs.get("class", ""))
        items = []
        for (part, label, width), shown in zip(PARTS, self.parts_of(value), strict=True):
            classes = f"govuk-input govuk-date-input__input govuk-input--width-{width}"
            if error:
                classes += f" {ERROR_CLASS}"
            items.append(
                format_html(
                    '<div class="govuk-date-input__item"><div class="govuk-form-group">'
                    '<label class="govuk-label govuk-date-input__label" for="{}-{}">{}</label>'
                    '<input class="{}" id="{}-{}" name="{}-{}" type="text" inputmode="numeric" '
                    'autocomplete="off" spellcheck="false" value="{}"></div></div>',
                    base_id,
                    part,
                    label,
                    classes,
                    base_id,
                    part,
                    name,
                    part,
                    shown,
                )
            )
        return format_html(
            '<div class="govuk-date-input" id="{}">{}</div>',
            base_id,
            format_html_join("", "{}", ((item,) for item in items)),
        )


class GovukDateField(forms.DateField):
    """A date typed as day, month and year in GOV.UK's date input, checked as GOV.UK words it."""

    widget = GovukDateInput
    default_error_messages = {
        "required": "Enter the date",
        "invalid": "The date must be a real date",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", DEFAULT_HINT)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, Sequence) and not isinstance(value, str):
            return self._from_parts(value)
        if isinstance(value, str):
            if not value.strip():
                return None
            day = parse_date(value)
            if day is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return day
        return super().to_python(value)

    def _from_parts(self, parts: Sequence[Any]) -> dt.date | None:
        day, month, year = (str(part or "").strip() for part in parts)
        if not (day or month or year):
            return None
        named = zip(("day", "month", "year"), (day, month, year), strict=True)
        missing = [name for name, text in named if not text]
        if missing:
            raise ValidationError("The date must include a " + " and a ".join(missing), code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise ValidationError("The year must include 4 numbers", code="invalid_year")
        found = make_date(int(year), int(month), int(day))
        if found is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return found

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != (initial.date() if isinstance(initial, dt.datetime) else initial)
        except ValidationError:
            return True


class DateTextInput(forms.DateInput):
    """One text box for a date, showing it as people type it ("30/6/2019")."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str):  # what was sent: a date in any form read shows as typed
            value = parse_date(value) or value
        if isinstance(value, dt.date):
            return typed_date(value)
        return super().format_value(value)


class DateTextField(forms.DateField):
    """A date typed in one box: "30/6/2019", "30 June 2019" or "2019-06-30"."""

    widget = DateTextInput
    default_error_messages = {"invalid": f"Enter a real date, like {EXAMPLE}"}

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if value in self.empty_values or not str(value).strip():
            return None
        found = parse_date(str(value))
        if found is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return found


def with_dates(query: Mapping[str, Any], **dates: dt.date | None) -> Any:
    """Return a filter form's query with ``dates`` filled in where it leaves their boxes out
    or blank, so each box shows the date the page is for ("Forecast from 4/12/2026", not an
    empty box under a heading that names the date); None when there is no query at all (the
    form is then unbound and shows its ``initial`` values)."""
    if not query:
        return None
    data = query.copy()  # a QueryDict's copy is mutable
    for name, day in dates.items():
        if day is not None and not data.get(name):
            data[name] = typed_date(day)
    return data


class FteInput(forms.TextInput):
    """A box for an FTE that shows the exact value without trailing zeros ("0.6", "1.0")."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"inputmode": "decimal", "size": 6, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal):
            return format_fte_exact(value)
        return super().format_value(value)
