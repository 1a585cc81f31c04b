"""Prepare a generated database for the load test (benchmarks/load/run.sh runs this).

    DJANGO_SETTINGS_MODULE=... DATABASE_URL=... LOAD_PASSWORD=... \
        .venv/bin/python benchmarks/load/prepare.py --out DIR

Creates (or resets) the people the simulated users sign in as, each in the group a real
user of that kind is in: HR officers (staff, so they may import), directors (who export
committee reports) and team managers (each managing one case-holding team, so they see
only it). Creates a draft committee report for the directors to preview and export,
brings the kept establishment changes up to date as the product's writes keep them, and
writes an HR extract (posts, workers and assignments of new records, large enough to be
imported in the background) and ``plan.json``: what the locustfile needs (the users, the
report, the filters' choices, the extract's files).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "load-"
ROLES = {"hr": 20, "director": 12, "manager": 22}  # how many accounts of each kind
EXTRACT_ROWS = 6000  # above the 5,000 rows that send an import to the task worker
COMMITTEE = "Load test: Children's Services Scrutiny Committee"


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()


def _users(password: str) -> dict[str, list[str]]:
    """Create the accounts (idempotent); return their usernames by role."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from workforce.models import Team

    user_model = get_user_model()
    teams = list(
        Team.objects.filter(case_holding=True, posts__isnull=False)
        .distinct()
        .order_by("pk")[: ROLES["manager"]]
    )
    if not teams:
        raise SystemExit("No case-holding team has posts: generate a workforce first.")
    names: dict[str, list[str]] = {}
    for role, count in ROLES.items():
        group = Group.objects.get(name=role)
        names[role] = []
        for number in range(1, count + 1):
            username = f"{PREFIX}{role}-{number:02d}"
            user, _ = user_model.objects.get_or_create(username=username)
            user.first_name, user.last_name = role.capitalize(), f"Load {number}"
            user.email = f"{username}@load-test.invalid"
            user.is_staff = role == "hr"  # the import page is in the admin
            user.is_active = True
            user.set_password(password)
            user.save()
            user.groups.set([group])
            if role == "manager":
                # From the team's side, where its history of managers is kept; one team each
                # while they last.
                team = teams[(number - 1) % len(teams)]
                for managed in user.managed_teams.exclude(pk=team.pk):
                    managed.managers.remove(user)
                team.managers.add(user)
            names[role].append(username)
    return names


def _report() -> int:
    """Return the id of the draft committee report the directors preview and export."""
    from django.utils import timezone

    from foundation.periods import quarter_end_on_or_before
    from reporting import services
    from reporting.models import CommitteeReport

    as_at = quarter_end_on_or_before(timezone.localdate())
    report = CommitteeReport.objects.filter(committee=COMMITTEE, as_at=as_at).first()
    if report is None or report.is_published:
        report = CommitteeReport(
            committee=COMMITTEE,
            meeting_date=timezone.localdate(),
            as_at=as_at,
            scope="all",
            title="Social work workforce: quarterly report (load test)",
        )
        services.save_report(report=report)
    return report.pk


def _extract(out: Path) -> list[str]:
    """Write the HR extract's CSV files into ``out``; return their paths."""
    from django.utils import timezone

    from scale.extract import extract_files
    from workforce.models import Team

    teams = list(Team.objects.order_by("pk").values_list("name", flat=True)[:200])
    paths = []
    for name, content in extract_files(rows=EXTRACT_ROWS, teams=teams, today=timezone.localdate()).items():
        path = out / name
        path.write_bytes(content)
        paths.append(str(path))
    return paths


def prepare(out: Path, password: str) -> dict[str, Any]:
    """Prepare the database and return the plan the locustfile reads."""
    from workforce import timeline
    from workforce.models import Post, Role, ServiceArea

    if not Post.objects.exists():
        raise SystemExit("The database holds no posts: run manage.py generate_scale first.")
    if not timeline.up_to_date():
        timeline.rebuild()  # as the product's writes keep them; generate_scale writes around them
    out.mkdir(parents=True, exist_ok=True)
    return {
        "users": _users(password),
        "report_id": _report(),
        "service_areas": list(ServiceArea.objects.order_by("pk").values_list("pk", flat=True)),
        "roles": list(Role.objects.filter(in_scope=True).order_by("pk").values_list("pk", flat=True)),
        "extract": _extract(out),
        "posts": Post.objects.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for plan.json and the extract")
    args = parser.parse_args()
    password = os.environ.get("LOAD_PASSWORD", "")
    if len(password) < 12:
        raise SystemExit("Set LOAD_PASSWORD (12 characters or more) for the simulated users.")
    _setup()
    plan = prepare(args.out, password)
    (args.out / "plan.json").write_text(json.dumps(plan, indent=2))
    counts = ", ".join(f"{len(names)} {role}" for role, names in plan["users"].items())
    print(
        f"Prepared {plan['posts']:,} posts: users {counts}; report {plan['report_id']}; extract in {args.out}"
    )


if __name__ == "__main__":
    main()
