"""The census specification of a collection year, read from data: ``dataio/census/specs/*.json``.

Each specification file transcribes one year's published schema: the elements of each part
of the return in order, with how many times each may appear and what its text must be (a
type: a pattern, a number of decimal places, a range, a date, or one of a code list), and
the code lists themselves. The return is written in that order and checked against those
rules (``dataio.census.xml``), so next year's specification is a new file here, not a code
change: a census year uses the latest specification whose ``first_year`` is not after it.

Where the published schema itself is at hand (``settings.CENSUS_SCHEMA_DIR``, by default
``../shared/specs/`` beside the code), the written return is validated against it too
(``schema_problems``), and a test checks each specification file against its schema.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

SPECS = Path(__file__).resolve().parent / "specs"
UNBOUNDED = 10**9

Check = Callable[[str], str | None]  # returns a problem with the text, or None when it is fine


class NoSpecification(LookupError):
    """No specification covers the census year asked for."""


@dataclass(frozen=True)
class Element:
    """One element of a part of the return, as the schema's sequence lists it."""

    name: str
    minimum: int
    maximum: int
    type: str | None  # the name of a simple type; None for a part with elements of its own


@dataclass(frozen=True)
class CensusSpec:
    """One collection year's specification."""

    collection: str
    title: str
    schema: str  # the published schema's file name
    first_year: int
    parts: dict[str, tuple[Element, ...]]
    code_lists: dict[str, dict[str, str]]
    checks: dict[str, Check]  # the check of each simple type, by its name

    def part(self, name: str) -> tuple[Element, ...]:
        return self.parts[name]

    def codes(self, code_list: str) -> tuple[str, ...]:
        """Return the codes of ``code_list`` (e.g. "OrgRole") in the specification's order."""
        return tuple(self.code_lists[code_list])

    def check(self, type_name: str) -> Check:
        """Return the check of a text against the simple type ``type_name``."""
        return self.checks[type_name]


def _check_for(rule: dict, code_lists: dict[str, dict[str, str]]) -> Check:
    """Return the check a type's ``rule`` describes."""
    if "code_list" in rule:
        return _codes(tuple(code_lists[rule["code_list"]]))
    if "codes" in rule:
        return _codes(tuple(rule["codes"]))
    if "pattern" in rule:
        return _pattern(rule["pattern"], rule.get("description", f"in the form {rule['pattern']}"))
    if "decimal" in rule:
        low, high = rule.get("minimum"), rule.get("maximum")
        return _decimal(
            rule["decimal"],
            Decimal(low) if low is not None else None,
            Decimal(high) if high is not None else None,
        )
    if rule.get("date"):
        return _date
    if rule.get("integer"):
        return _integer
    return _any


def _codes(allowed: tuple[str, ...]) -> Check:
    permitted = set(allowed)
    listed = ", ".join(allowed)
    return lambda text: None if text in permitted else f"'{text}' is not one of {listed}"


def _pattern(regex: str, description: str) -> Check:
    compiled = re.compile(rf"^(?:{regex})$")
    return lambda text: None if compiled.match(text) else f"'{text}' is not {description}"


def _decimal(places: int, low: Decimal | None, high: Decimal | None) -> Check:
    def check(text: str) -> str | None:
        try:
            number = Decimal(text)
        except InvalidOperation:
            return f"'{text}' is not a number"
        if not number.is_finite() or -number.as_tuple().exponent > places:
            return f"'{text}' has more than {places} decimal places"
        if (low is not None and number < low) or (high is not None and number > high):
            return f"'{text}' is outside {low} to {high}"
        return None

    return check


def _date(text: str) -> str | None:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return f"'{text}' is not a date (YYYY-MM-DD)"
    return None if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else f"'{text}' is not a date (YYYY-MM-DD)"


def _integer(text: str) -> str | None:
    return None if re.fullmatch(r"[+-]?\d+", text) else f"'{text}' is not a whole number"


def _any(text: str) -> str | None:
    return None


def _read(path: Path) -> CensusSpec:
    data = json.loads(path.read_text(encoding="utf-8"))
    parts = {
        part: tuple(
            Element(name, minimum, UNBOUNDED if maximum == "unbounded" else maximum, kind)
            for name, minimum, maximum, kind in elements
        )
        for part, elements in data["elements"].items()
    }
    return CensusSpec(
        collection=data["collection"],
        title=data["title"],
        schema=data["schema"],
        first_year=int(data["first_year"]),
        parts=parts,
        code_lists=data["code_lists"],
        checks={name: _check_for(rule, data["code_lists"]) for name, rule in data["types"].items()},
    )


@cache
def specifications() -> tuple[CensusSpec, ...]:
    """Return every specification held, the oldest first."""
    return tuple(sorted((_read(path) for path in SPECS.glob("*.json")), key=lambda spec: spec.first_year))


def spec_for(year: int) -> CensusSpec:
    """Return the specification for census year ``year``: the latest that starts no later."""
    found = [spec for spec in specifications() if spec.first_year <= year]
    if not found:
        first = min((spec.first_year for spec in specifications()), default=None)
        raise NoSpecification(
            f"No census specification covers {year}"
            + (f"; the earliest held is for {first}." if first else ".")
        )
    return found[-1]


def schema_path(spec: CensusSpec) -> Path | None:
    """Return the published schema of ``spec`` if it is at hand (``settings.CENSUS_SCHEMA_DIR``)."""
    directory = getattr(settings, "CENSUS_SCHEMA_DIR", None)
    if not directory:
        return None
    path = Path(directory) / spec.schema
    return path if path.is_file() else None


def schema_problems(content: bytes, spec: CensusSpec) -> list[str] | None:
    """Return every way ``content`` breaks the published schema of ``spec`` (empty: valid), or
    None when the schema is not at hand to check it. Validated by libxml2 (``lxml``): a
    national return of 40,000 records in well under a second."""
    path = schema_path(spec)
    if path is None:
        return None
    from lxml import etree

    schema = _schema(str(path))
    try:
        document = etree.fromstring(content)
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error}"]
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


@cache
def _schema(path: str) -> Any:
    """Return the published schema at ``path``, read once (an ``lxml.etree.XMLSchema``)."""
    from lxml import etree

    return etree.XMLSchema(etree.parse(path))
