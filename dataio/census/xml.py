"""Writing the census return as XML, and checking its structure without the schema file.

``render_census_xml`` lays out a ``CensusReturn`` in the element order of its year's
specification (``dataio.census.spec``, transcribing the national schema, e.g.
social_work_workforce_2022.xsd). ``structure_problems`` checks a written file against the
same rules (element order and counts, codes, patterns, decimal places and ranges), so the
product can vouch for its file at run time; it is also validated against the published
schema itself when that is at hand (``dataio.census.spec.schema_problems``).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

from dataio.census.build import CensusReturn, CensusWorker
from dataio.census.spec import CensusSpec, NoSpecification, spec_for, specifications

SOFTWARE_CODE = "Social work workforce"
SIX_PLACES = Decimal("0.000001")
TWO_PLACES = Decimal("0.01")


def _fte(value: Decimal) -> str:
    return f"{Decimal(value).quantize(SIX_PLACES):f}"


def _two(value: Decimal) -> str:
    return f"{Decimal(value).quantize(TWO_PLACES):f}"


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _worker_values(record: CensusWorker) -> dict[str, list[object]]:
    """Return the texts of one ``CSWWWorker`` by element name (an element left out has none)."""
    optional = {
        "FTE": _fte(record.fte) if record.fte is not None else None,
        "PersonBirthDate": record.birth_date.isoformat() if record.birth_date else None,
        "GenderCurrent": record.gender,
        "Ethnicity": record.ethnicity,
        "QualLevel": record.qualification_level,
        "StepUpGrad": _flag(record.step_up_graduate) if record.step_up_graduate is not None else None,
        "OrgRole": record.org_role,
        "RoleStartDate": record.role_start.isoformat() if record.role_start else None,
        "StartOrigin": record.start_origin,
        "RoleEndDate": record.role_end.isoformat() if record.role_end else None,
        "LeaverDestination": record.leaver_destination,
        "ReasonLeave": record.reason_leave,
        "FTE30": _fte(record.fte30) if record.fte30 is not None else None,
        "Cases30": record.cases30,
        "WorkingDaysLost": _two(record.working_days_lost) if record.working_days_lost is not None else None,
        "FrontlineGrad": _flag(record.frontline_graduate) if record.frontline_graduate is not None else None,
        "Absat30Sept": _flag(record.absent_30) if record.absent_30 is not None else None,
        "CFKSSstatus": record.cfkss_status,
    }
    values: dict[str, list[object]] = {
        name: [value] for name, value in optional.items() if value is not None and value != ""
    }
    values["AgencyWorker"] = [_flag(record.agency)]
    values["SWENo"] = [record.swe_number]
    values["QualInst"] = [record.qualifying_institution]  # required, even when empty
    values["ReasonAbsence"] = list(record.absence_reasons)
    return values


def _add_part(parent: ET.Element, tag: str, spec: CensusSpec, values: dict[str, list[object]]) -> None:
    """Add the element ``tag`` holding ``values`` in the order the specification gives them."""
    element = ET.SubElement(parent, tag)
    known = {rule.name for rule in spec.part(tag)}
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"The {spec.title} has no {', '.join(sorted(unknown))} in {tag}.")
    for rule in spec.part(tag):
        for value in values.get(rule.name, []):
            ET.SubElement(element, rule.name).text = str(value)


def render_census_xml(census: CensusReturn, *, generated_at: dt.datetime) -> bytes:
    """Return the return as UTF-8 XML bytes, in the element order of its year's specification."""
    spec = spec_for(census.year)
    message = ET.Element("Message")
    header = ET.SubElement(message, "Header")
    _add_part(
        header,
        "CollectionDetails",
        spec,
        {
            "Collection": [spec.collection],
            "Year": [census.year],
            "ReferenceDate": [census.reference_date.isoformat()],
        },
    )
    _add_part(
        header,
        "Source",
        spec,
        {
            "SourceLevel": ["L"],
            "LEA": [census.la_code],
            "SoftwareCode": [SOFTWARE_CODE],
            "DateTime": [generated_at.replace(microsecond=0).isoformat()],
        },
    )
    vacancies = census.vacancies
    _add_part(
        message,
        "LALevelVacancies",
        spec,
        {
            "NumberOfVacancies": [_two(vacancies.vacancy_fte)],
            "NoAgencyFTE": [_two(vacancies.agency_fte)],
            "NoAgencyHeadcount": [vacancies.agency_headcount],
        },
    )
    for record in census.workers:
        _add_part(message, "CSWWWorker", spec, _worker_values(record))
    ET.indent(message)
    return ET.tostring(message, encoding="utf-8", xml_declaration=True) + b"\n"


# --- The structure the schema requires -------------------------------------------------------


def _sequence(element: ET.Element, spec: CensusSpec, part: str, path: str) -> list[str]:
    """Return the problems with ``element``'s children against the ordered elements of ``part``."""
    problems: list[str] = []
    children = list(element)
    position = 0
    for rule in spec.part(part):
        name, minimum, maximum = rule.name, rule.minimum, rule.maximum
        count = 0
        while position < len(children) and children[position].tag == name:
            child = children[position]
            count += 1
            position += 1
            where = f"{path}/{name}[{count}]" if maximum > 1 else f"{path}/{name}"
            if rule.type is None:
                problems += _sequence(child, spec, name, where)
            else:
                found = spec.check(rule.type)((child.text or "").strip())
                if found:
                    problems.append(f"{where}: {found}")
        if count < minimum:
            problems.append(f"{path}: {name} is missing")
        if count > maximum:
            problems.append(f"{path}: {name} appears {count} times (at most {maximum})")
    for child in children[position:]:
        problems.append(f"{path}: {child.tag} is not expected here")
    return problems


def structure_problems(content: bytes, spec: CensusSpec | None = None) -> list[str]:
    """Return every way ``content`` breaks the structure of its year's specification (``spec``, or
    the one for the year the file gives; empty: it conforms)."""
    try:
        root = ET.fromstring(content)
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    if root.tag != "Message":
        return [f"the root element is {root.tag}, not Message"]
    if spec is None:
        year = (root.findtext("Header/CollectionDetails/Year") or "").strip()
        try:
            spec = spec_for(int(year)) if year.isdigit() else specifications()[-1]
        except NoSpecification as error:
            return [str(error)]
    return _sequence(root, spec, "Message", "Message")
