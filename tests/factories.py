"""Builders for test records, in one place. Each writes through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from workforce import services
from workforce.models import (
    Absence,
    Assignment,
    Contract,
    Funding,
    Post,
    Role,
    ServiceArea,
    Team,
    Worker,
)

_sequence = itertools.count(1)
LONG_AGO = dt.date(2010, 1, 1)


def role(code: str = "social-worker") -> Role:
    """Return a seeded role by its code."""
    return Role.objects.get(code=code)


def service_area(name: str | None = None) -> ServiceArea:
    return ServiceArea.objects.get_or_create(name=name or f"Area {next(_sequence)}")[0]


def team(name: str | None = None, *, area: ServiceArea | None = None, case_holding: bool = True) -> Team:
    return Team.objects.create(
        name=name or f"Team {next(_sequence)}",
        service_area=area or service_area("Child Protection"),
        case_holding=case_holding,
    )


def post(
    *,
    team: Team,
    role_code: str = "social-worker",
    fte: str | Decimal = "1.0",
    funding: str = Funding.ESTABLISHMENT,
    active_from: dt.date = LONG_AGO,
    active_to: dt.date | None = None,
    reference: str | None = None,
) -> Post:
    return services.save_post(
        post=Post(
            reference=reference or f"P{next(_sequence):05d}",
            team=team,
            role=role(role_code),
            fte=Decimal(fte),
            funding=funding,
            active_from=active_from,
            active_to=active_to,
        )
    )


def worker(**fields: Any) -> Worker:
    number = next(_sequence)
    defaults: dict[str, Any] = {
        "staff_reference": f"W{number:05d}",
        "first_name": "Test",
        "last_name": f"Worker{number}",
        "swe_number": f"SW{number:010d}",
        "service_start": LONG_AGO,
    }
    defaults.update(fields)
    return services.save_worker(worker=Worker(**defaults))


def assign(
    post: Post,
    *,
    worker_: Worker | None = None,
    fte: str | Decimal = "1.0",
    contract: str = Contract.PERMANENT,
    start: dt.date = LONG_AGO,
    end: dt.date | None = None,
    reason: str = "",
) -> Assignment:
    agency = {}
    if contract == Contract.AGENCY:
        agency = {"agency_reason": reason, "agency_supplier": "Test Agency", "weekly_charge": Decimal("1700")}
    return services.save_assignment(
        assignment=Assignment(
            worker=worker_ or worker(),
            post=post,
            start=start,
            end=end,
            fte=Decimal(fte),
            contract=contract,
            **agency,
        )
    )


def absence(worker_: Worker, *, reason: str, start: dt.date, end: dt.date | None, days: str = "0") -> Absence:
    return services.save_absence(
        absence=Absence(worker=worker_, reason=reason, start=start, end=end, working_days_lost=Decimal(days))
    )


def user(
    username: str, group: str | None = None, *, teams: list[Team] = (), staff: bool = False, **fields: Any
):
    User = get_user_model()
    made = User.objects.create_user(
        username=username, password="a-long-test-password-1", is_staff=staff, **fields
    )
    if group:
        made.groups.add(Group.objects.get(name=group))
    for managed in teams:
        managed.managers.add(made)
    return made


def caseload(worker_: Worker, *, on: dt.date, cases: int, **types: int) -> Any:
    """Record ``cases`` for ``worker_`` on ``on`` (types of case in ``types``) through the service."""
    from workforce.caseload_services import save_caseload
    from workforce.models import Caseload

    return save_caseload(caseload=Caseload(worker=worker_, recorded_on=on, cases=cases, **types))
