"""Writing the census return as XML, and checking its structure without the schema file.

``render_census_xml`` lays out a ``CensusReturn`` in the element order of the national
schema (social_work_workforce_2022.xsd). ``structure_problems`` checks a written file
against the same rules (element order and counts, codes, patterns, decimal places and
ranges), so the product can vouch for its file at run time; the tests also validate
it against the published schema when it is present.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from dataio.census.build import CensusReturn, CensusWorker
from workforce.models import AbsenceReason, Ethnicity, Gender, QualificationLevel

SOFTWARE_CODE = "Social work workforce"
SIX_PLACES = Decimal("0.000001")
TWO_PLACES = Decimal("0.01")


def _fte(value: Decimal) -> str:
    return f"{Decimal(value).quantize(SIX_PLACES):f}"


def _two(value: Decimal) -> str:
    return f"{Decimal(value).quantize(TWO_PLACES):f}"


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _add(parent: ET.Element, tag: str, text: object) -> None:
    if text is None or text == "":
        return
    ET.SubElement(parent, tag).text = str(text)


def _worker(parent: ET.Element, record: CensusWorker) -> None:
    element = ET.SubElement(parent, "CSWWWorker")
    ET.SubElement(element, "AgencyWorker").text = _flag(record.agency)
    ET.SubElement(element, "SWENo").text = record.swe_number
    _add(element, "FTE", _fte(record.fte) if record.fte is not None else None)
    _add(element, "PersonBirthDate", record.birth_date.isoformat() if record.birth_date else None)
    _add(element, "GenderCurrent", record.gender)
    _add(element, "Ethnicity", record.ethnicity)
    ET.SubElement(element, "QualInst").text = record.qualifying_institution
    _add(element, "QualLevel", record.qualification_level)
    _add(
        element, "StepUpGrad", _flag(record.step_up_graduate) if record.step_up_graduate is not None else None
    )
    _add(element, "OrgRole", record.org_role)
    _add(element, "RoleStartDate", record.role_start.isoformat() if record.role_start else None)
    _add(element, "StartOrigin", record.start_origin)
    _add(element, "RoleEndDate", record.role_end.isoformat() if record.role_end else None)
    _add(element, "LeaverDestination", record.leaver_destination)
    _add(element, "ReasonLeave", record.reason_leave)
    _add(element, "FTE30", _fte(record.fte30) if record.fte30 is not None else None)
    _add(
        element,
        "WorkingDaysLost",
        _two(record.working_days_lost) if record.working_days_lost is not None else None,
    )
    _add(
        element,
        "FrontlineGrad",
        _flag(record.frontline_graduate) if record.frontline_graduate is not None else None,
    )
    _add(element, "Absat30Sept", _flag(record.absent_30) if record.absent_30 is not None else None)
    for reason in record.absence_reasons:
        _add(element, "ReasonAbsence", reason)
    _add(element, "CFKSSstatus", record.cfkss_status)


def render_census_xml(census: CensusReturn, *, generated_at: dt.datetime) -> bytes:
    """Return the return as UTF-8 XML bytes, in the schema's element order."""
    message = ET.Element("Message")
    header = ET.SubElement(message, "Header")
    details = ET.SubElement(header, "CollectionDetails")
    ET.SubElement(details, "Collection").text = "CSWW"
    ET.SubElement(details, "Year").text = str(census.year)
    ET.SubElement(details, "ReferenceDate").text = census.reference_date.isoformat()
    source = ET.SubElement(header, "Source")
    ET.SubElement(source, "SourceLevel").text = "L"
    ET.SubElement(source, "LEA").text = census.la_code
    ET.SubElement(source, "SoftwareCode").text = SOFTWARE_CODE
    ET.SubElement(source, "DateTime").text = generated_at.replace(microsecond=0).isoformat()
    vacancies = ET.SubElement(message, "LALevelVacancies")
    ET.SubElement(vacancies, "NumberOfVacancies").text = _two(census.vacancies.vacancy_fte)
    ET.SubElement(vacancies, "NoAgencyFTE").text = _two(census.vacancies.agency_fte)
    ET.SubElement(vacancies, "NoAgencyHeadcount").text = str(census.vacancies.agency_headcount)
    for record in census.workers:
        _worker(message, record)
    ET.indent(message)
    return ET.tostring(message, encoding="utf-8", xml_declaration=True) + b"\n"


# --- The structure the schema requires -------------------------------------------------------

Check = Callable[[str], str | None]  # returns a problem, or None when the text is fine


def _codes(*values: object) -> Check:
    allowed = {str(value) for value in values}
    return lambda text: None if text in allowed else f"'{text}' is not one of {', '.join(sorted(allowed))}"


def _pattern(regex: str, description: str) -> Check:
    compiled = re.compile(rf"^(?:{regex})$")
    return lambda text: None if compiled.match(text) else f"'{text}' is not {description}"


def _decimal(places: int, low: Decimal | None = None, high: Decimal | None = None) -> Check:
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


UNBOUNDED = 10**9
YES_NO = _codes(0, 1)
FTE = _decimal(6, Decimal(0), Decimal(1))
TWO = _decimal(2)
# (element, minimum, maximum, check) in the schema's order.
HEADER = [("CollectionDetails", 0, 1, None), ("Source", 0, UNBOUNDED, None)]
COLLECTION = [
    ("Collection", 0, 1, _codes("CSWW")),
    ("Year", 0, 1, _pattern(r"\d{4}", "a year")),
    ("ReferenceDate", 0, 1, _date),
]
SOURCE = [
    ("SourceLevel", 0, 1, _codes("L")),
    ("LEA", 1, 1, _pattern(r"\d{3}", "a three-digit LA code")),
    ("SoftwareCode", 0, 1, _any),
    (
        "DateTime",
        0,
        1,
        _pattern(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?", "a date-time"),
    ),
]
MESSAGE = [("Header", 0, 1, None), ("LALevelVacancies", 1, 1, None), ("CSWWWorker", 1, UNBOUNDED, None)]
VACANCIES = [
    ("NumberOfVacancies", 1, 1, TWO),
    ("NoAgencyFTE", 1, 1, TWO),
    ("NoAgencyHeadcount", 1, 1, _integer),
]
WORKER = [
    ("AgencyWorker", 1, 1, YES_NO),
    ("SWENo", 1, 1, _pattern(r"[A-Za-z]{2}\d{10}", "two letters and ten digits")),
    ("FTE", 0, 1, FTE),
    ("PersonBirthDate", 0, 1, _date),
    ("GenderCurrent", 0, 1, _codes(*Gender.values)),
    ("Ethnicity", 0, 1, _codes(*Ethnicity.values)),
    ("QualInst", 1, UNBOUNDED, _any),
    ("QualLevel", 0, 1, _codes(*QualificationLevel.values)),
    ("StepUpGrad", 0, 1, YES_NO),
    ("OrgRole", 0, 1, _codes(*range(1, 7))),
    ("RoleStartDate", 0, 1, _date),
    ("StartOrigin", 0, 1, _codes(*range(1, 11))),
    ("RoleEndDate", 0, 1, _date),
    ("LeaverDestination", 0, 1, _codes(*range(1, 10))),
    ("ReasonLeave", 0, 1, _codes(*range(1, 11))),
    ("FTE30", 0, 1, FTE),
    ("Cases30", 0, 1, _integer),
    ("WorkingDaysLost", 0, 1, TWO),
    ("ContractWeeks", 0, UNBOUNDED, _decimal(1)),
    ("FrontlineGrad", 0, 1, YES_NO),
    ("Absat30Sept", 0, UNBOUNDED, YES_NO),
    ("ReasonAbsence", 0, UNBOUNDED, _codes(*AbsenceReason.values)),
    ("CFKSSstatus", 0, UNBOUNDED, _codes(1, 2, 3, 4)),
]
CHILDREN = {
    "Message": MESSAGE,
    "Header": HEADER,
    "CollectionDetails": COLLECTION,
    "Source": SOURCE,
    "LALevelVacancies": VACANCIES,
    "CSWWWorker": WORKER,
}


def _sequence(element: ET.Element, spec: list, path: str) -> list[str]:
    """Return the problems with ``element``'s children against the ordered ``spec``."""
    problems: list[str] = []
    children = list(element)
    position = 0
    for name, minimum, maximum, check in spec:
        count = 0
        while position < len(children) and children[position].tag == name:
            child = children[position]
            count += 1
            position += 1
            where = f"{path}/{name}[{count}]" if maximum > 1 else f"{path}/{name}"
            if name in CHILDREN:
                problems += _sequence(child, CHILDREN[name], where)
            elif check is not None:
                found = check((child.text or "").strip())
                if found:
                    problems.append(f"{where}: {found}")
        if count < minimum:
            problems.append(f"{path}: {name} is missing")
        if count > maximum:
            problems.append(f"{path}: {name} appears {count} times (at most {maximum})")
    for child in children[position:]:
        problems.append(f"{path}: {child.tag} is not expected here")
    return problems


def structure_problems(content: bytes) -> list[str]:
    """Return every way ``content`` breaks the census schema's structure (empty: it conforms)."""
    try:
        root = ET.fromstring(content)
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    if root.tag != "Message":
        return [f"the root element is {root.tag}, not Message"]
    return _sequence(root, MESSAGE, "Message")
