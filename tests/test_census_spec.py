"""The census specification held as data: it matches the published schema, a new year is a new
file, and the return is validated against the published schema when it is at hand."""

from __future__ import annotations

import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.management import call_command

from dataio.census import spec as census_spec
from dataio.census.spec import UNBOUNDED, NoSpecification, schema_problems, spec_for
from dataio.census.xml import structure_problems

SPECS = Path(census_spec.__file__).resolve().parent / "specs"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "specs"
XS = "{http://www.w3.org/2001/XMLSchema}"


@pytest.fixture
def specs_dir(tmp_path, monkeypatch):
    """A copy of the specifications to add to, read afresh."""
    folder = tmp_path / "specs"
    shutil.copytree(SPECS, folder)
    monkeypatch.setattr(census_spec, "SPECS", folder)
    census_spec.specifications.cache_clear()
    yield folder
    census_spec.specifications.cache_clear()


def _published(xsd: Path) -> tuple[dict[str, list[tuple[str, int, int]]], dict[str, set[str]]]:
    """Return each complex type's elements (name, min, max) in order, and each element's codes."""
    root = ET.parse(xsd).getroot()
    simple = {
        node.get("name"): {e.get("value") for e in node.iter(f"{XS}enumeration")}
        for node in root.iter(f"{XS}simpleType")
        if node.get("name")
    }
    parts, codes = {}, {}
    top = {element.get("type"): element.get("name") for element in root.findall(f"{XS}element")}
    for complex_type in root.findall(f"{XS}complexType"):
        elements = []
        for element in complex_type.iter(f"{XS}element"):
            maximum = element.get("maxOccurs", "1")
            elements.append(
                (
                    element.get("name"),
                    int(element.get("minOccurs", "1")),
                    UNBOUNDED if maximum == "unbounded" else int(maximum),
                )
            )
            enumerated = {e.get("value") for e in element.iter(f"{XS}enumeration")} or simple.get(
                element.get("type"), set()
            )
            if enumerated:
                codes[element.get("name")] = enumerated
        owner = top.get(complex_type.get("name"))
        if owner is None:  # named by the element that uses the type
            owner = next(
                e.get("name") for e in root.iter(f"{XS}element") if e.get("type") == complex_type.get("name")
            )
        parts[owner] = elements
    return parts, codes


@pytest.mark.skipif(
    not (SHARED / "social_work_workforce_2022.xsd").exists(), reason="the schema is not beside the product"
)
def test_the_2022_specification_transcribes_the_published_schema():
    spec = spec_for(2022)
    parts, codes = _published(SHARED / spec.schema)
    assert set(parts) == set(spec.parts)
    for part, elements in parts.items():
        assert [(rule.name, rule.minimum, rule.maximum) for rule in spec.part(part)] == elements, part
    for part in spec.parts.values():
        for rule in part:
            if rule.name in codes:
                allowed = {code for code in codes[rule.name] if spec.check(rule.type)(code) is None}
                assert allowed == codes[rule.name], rule.name
                assert spec.check(rule.type)("not-a-code") is not None


def test_a_census_year_uses_the_latest_specification_that_starts_no_later(specs_dir):
    data = json.loads((specs_dir / "csww_2022.json").read_text())
    data["first_year"] = 2027
    data["title"] = "2027 specification"
    data["schema"] = "social_work_workforce_2027.xsd"
    data["code_lists"]["OrgRole"]["7"] = "Newly created role"
    (specs_dir / "csww_2027.json").write_text(json.dumps(data))
    assert spec_for(2026).title.endswith("2022 specification")
    assert spec_for(2027).title == spec_for(2030).title == "2027 specification"
    # The new code is a data change: accepted in a 2027 return, refused in a 2026 one.
    org_role = next(rule for rule in spec_for(2027).part("CSWWWorker") if rule.name == "OrgRole")
    assert spec_for(2027).check(org_role.type)("7") is None
    assert spec_for(2026).check(org_role.type)("7") == "'7' is not one of 1, 2, 3, 4, 5, 6"


def test_a_year_before_every_specification_is_refused(specs_dir):
    for path in specs_dir.glob("*.json"):
        data = json.loads(path.read_text())
        data["first_year"] = 2022
        path.write_text(json.dumps(data))
    with pytest.raises(
        NoSpecification, match="No census specification covers 2019; the earliest held is for 2022"
    ):
        spec_for(2019)


def test_the_structure_check_follows_the_specification_of_the_files_year():
    broken = b"<Message><Header><CollectionDetails><Year>2024</Year></CollectionDetails></Header></Message>"
    assert structure_problems(broken) == [
        "Message: LALevelVacancies is missing",
        "Message: CSWWWorker is missing",
    ]


@pytest.mark.skipif(
    not (SHARED / "social_work_workforce_2022.xsd").exists(), reason="the schema is not beside the product"
)
def test_the_published_schema_finds_what_it_would_refuse(settings):
    settings.CENSUS_SCHEMA_DIR = str(SHARED)
    problems = schema_problems(b"<Message><LALevelVacancies/></Message>", spec_for(2024))
    assert problems and all(isinstance(problem, str) for problem in problems)
    settings.CENSUS_SCHEMA_DIR = "/nowhere"
    assert schema_problems(b"<Message/>", spec_for(2024)) is None  # not at hand: not checked


@pytest.mark.skipif(
    not (SHARED / "social_work_workforce_2022.xsd").exists(), reason="the schema is not beside the product"
)
def test_the_command_says_which_schema_it_checked_against(db, tmp_path, settings):
    samples = sorted((Path(__file__).resolve().parent.parent / "docs" / "samples").glob("*.csv"))
    call_command("import_workforce", *map(str, samples), stdout=io.StringIO())
    settings.CENSUS_SCHEMA_DIR = str(SHARED)
    out = io.StringIO()
    call_command(
        "census_return", "--year", "2025", "--la-code", "886", "--output", str(tmp_path / "a.xml"), stdout=out
    )
    assert "Checked against the published schema social_work_workforce_2022.xsd." in out.getvalue()
    assert "6 caseloads at 30 September" in out.getvalue()
    settings.CENSUS_SCHEMA_DIR = str(tmp_path)
    out = io.StringIO()
    call_command(
        "census_return", "--year", "2025", "--la-code", "886", "--output", str(tmp_path / "b.xml"), stdout=out
    )
    assert "(the published schema social_work_workforce_2022.xsd is not at hand)" in out.getvalue()
