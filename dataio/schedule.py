"""The returns' scheduled work: each registered pre-check (``dataio.prechecks``), emailed to
HR and the directors while its return is in season (``manage.py run_scheduled NAME-precheck``)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from access.roles import DIRECTOR, HR
from dataio.prechecks import PreCheck, prechecks
from foundation.dates import long_date
from jobs.schedule import scheduled
from notices.email import link, send_notice, users_in_group
from notices.kinds import Kind


def email_precheck(check: PreCheck, *, today: dt.date, force: bool = False) -> str:
    """Run ``check`` and email its counts to HR and the directors (once a week each); return
    what was done. Out of season nothing is emailed unless ``force``."""
    result = check.run(today)
    if not result.due and not force:
        return (
            f"{result.title}: not in season (its checks run up to {long_date(result.deadline)}); "
            "nothing sent."
        )
    week = today.isocalendar()
    problems = len(result.blocking)
    if problems:
        subject = f"{result.title}: {problems} problem{'s' if problems != 1 else ''} to correct"
    else:
        subject = f"{result.title}: no problems found"
    recipients = {user.pk: user for group in (HR, DIRECTOR) for user in users_in_group(group)}
    sent = sum(
        send_notice(
            kind=Kind.RETURNS,
            key=f"precheck:{check.name}:{week.year}-W{week.week:02d}",
            user=user,
            subject=subject,
            template="dataio/email/precheck.txt",
            context={
                "result": result,
                "today": today,
                "days_left": (result.deadline - today).days,
                "url": link(reverse("pages:return_checks")),
            },
        )
        for user in recipients.values()
    )
    return (
        f"{result.title}: {problems} problem{'s' if problems != 1 else ''} and {len(result.notes)} "
        f"note{'s' if len(result.notes) != 1 else ''}; {sent} email{'s' if sent != 1 else ''} sent."
    )


def _register(check_name: str) -> None:
    def run(*, today: dt.date, force: bool = False) -> str:
        return email_precheck(prechecks()[check_name], today=today, force=force)

    scheduled(
        f"{check_name}-precheck",
        help=f"Email HR and the directors what would make the {check_name} return wrong, while it is due.",
        when="0 7 * * 1",
    )(run)


for _name in prechecks():
    _register(_name)
