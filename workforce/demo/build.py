"""Writing the demonstration establishment through the services, and the demonstration logins."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from foundation.periods import weekdays_between
from workforce import services
from workforce.demo.county import (
    DEMO_PASSWORD,
    ETHNICITIES,
    MANAGER_TEAMS,
    SEED,
    SERVICE_AREAS,
    SUPPLIERS,
    UNIVERSITIES,
    WEEKLY_CHARGE,
)
from workforce.demo.simulation import EstablishmentSimulation, demo_dates
from workforce.models import (
    Absence,
    Assignment,
    Contract,
    Gender,
    Post,
    Role,
    ServiceArea,
    Team,
    Worker,
)


def build_establishment(today: dt.date, out: object = None, seed: int = SEED) -> bool:
    """Write the demonstration establishment; return False if it was already there."""
    if Post.objects.filter(reference="CSC-0001").exists():
        return False
    dates = demo_dates(today)
    simulation = EstablishmentSimulation(dates, seed)
    simulation.plan_posts()
    simulation.simulate()

    roles = {role.code: role for role in Role.objects.all()}
    teams: dict[str, Team] = {}
    for area_name, area_teams in SERVICE_AREAS:
        area, _ = ServiceArea.objects.get_or_create(name=area_name)
        for team_name, case_holding in area_teams:
            teams[team_name], _ = Team.objects.get_or_create(
                name=team_name, defaults={"service_area": area, "case_holding": case_holding}
            )
    posts: dict[str, Post] = {}
    for planned in simulation.posts.values():
        posts[planned.reference] = services.save_post(
            post=Post(
                reference=planned.reference,
                team=teams[planned.team],
                role=roles[planned.role],
                fte=planned.fte,
                funding=planned.funding,
                active_from=planned.active_from,
            )
        )
    rng = random.Random(seed + 1)
    workers: dict[str, Worker] = {}
    for planned in simulation.workers:
        if not any(t.worker is planned for t in simulation.tenures):
            continue
        number = "".join(str(rng.randint(0, 9)) for _ in range(10))
        workers[planned.reference] = services.save_worker(
            worker=Worker(
                staff_reference=planned.reference,
                first_name=planned.first_name,
                last_name=planned.last_name,
                swe_number=f"SW{number}",
                date_qualified=planned.date_qualified,
                service_start=None if planned.agency else planned.service_start,
                start_origin=planned.origin,
                gender=rng.choice([Gender.FEMALE] * 4 + [Gender.MALE]),
                ethnicity=rng.choices([e for e, _ in ETHNICITIES], [w for _, w in ETHNICITIES])[0],
                qualification_level=rng.choice(["1", "1", "2"]),
                qualifying_institution=rng.choice(UNIVERSITIES),
                birth_date=(planned.date_qualified or today)
                - dt.timedelta(days=rng.randint(22 * 365, 35 * 365)),
            )
        )
    for tenure in sorted(simulation.tenures, key=lambda t: t.start):
        role_code = posts[tenure.post_reference].role.code
        agency = {}
        if tenure.contract == Contract.AGENCY:
            agency = {
                "agency_reason": tenure.agency_reason,
                "agency_supplier": rng.choice(SUPPLIERS),
                "weekly_charge": Decimal(WEEKLY_CHARGE[role_code] + rng.randint(-150, 250)),
            }
        services.save_assignment(
            assignment=Assignment(
                worker=workers[tenure.worker.reference],
                post=posts[tenure.post_reference],
                start=tenure.start,
                end=tenure.end,
                fte=tenure.fte,
                contract=tenure.contract,
                **agency,
            )
        )
    for planned, reason, start, end in simulation.absences:
        services.save_absence(
            absence=Absence(
                worker=workers[planned.reference],
                reason=reason,
                start=start,
                end=end,
                working_days_lost=Decimal(weekdays_between(start, end)),
            )
        )
    return True


DEMO_USERS = [
    # (username, first name, last name, group, staff)
    ("hr", "Harriet", "Reid", "hr", True),
    ("manager", "Morgan", "Lee", "manager", False),
    ("director", "Dana", "Fairfax", "director", True),
    ("reader", "Ravi", "Shah", "reader", False),
]


def ensure_demo_users() -> list[tuple[str, str, str]]:
    """Create (or reset) one login per kind of user; return (username, password, what it is)."""
    User = get_user_model()
    made = []
    for username, first, last, group_name, staff in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name, user.is_staff = first, last, staff
        user.email = f"{username}@example.org"
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=group_name)])
        made.append((username, DEMO_PASSWORD, group_name))
    manager = User.objects.get(username="manager")
    for team in Team.objects.filter(name__in=MANAGER_TEAMS):
        team.managers.add(manager)
    return made
