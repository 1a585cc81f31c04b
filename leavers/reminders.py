"""The weekly email to each manager listing the exit conversations due in their teams.

A manager hears only of their own teams' leavers (``access.scoping``), those of the 12
months to today with no exit conversation recorded (``exit_conversations_due``, the
leavers page's and the dashboard's "due"). A manager with none due gets no email; one
who turned these emails off, or has no address, gets none either. Each manager gets one
a week at most, however often it runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from access.roles import MANAGER
from access.scoping import scope_for
from leavers.selectors import exit_conversations_due
from notices.email import link, send_notice, users_in_group, wanted_by
from notices.kinds import Kind

LISTED = 20  # a longer list says how many more there are, and links to them all


@dataclass(frozen=True)
class DueLine:
    name: str
    team: str
    leaving_date: dt.date
    url: str


@dataclass(frozen=True)
class Reminders:
    managers: int  # managers with conversations due who want the email
    sent: int  # emails sent now (not sent already this week)
    due: int  # conversations due across those managers' teams


def send_exit_conversation_reminders(*, today: dt.date) -> Reminders:
    """Email each manager the exit conversations due in their teams; return what was done."""
    week = today.isocalendar()
    key = f"exit-conversations:{week.year}-W{week.week:02d}"
    record = link(reverse("leavers:conversation"))
    managers = sent = due_total = 0
    for manager in wanted_by(users_in_group(MANAGER), Kind.EXIT_CONVERSATIONS):
        due = exit_conversations_due(scope=scope_for(manager), today=today)
        count = due.count()
        if not count:
            continue
        managers += 1
        due_total += count
        lines = [
            DueLine(
                name=leaver.worker.full_name,
                team=leaver.team.name,
                leaving_date=leaver.leaving_date,
                url=f"{record}?leaver={leaver.pk}",
            )
            for leaver in due.select_related("worker", "team")[:LISTED]
        ]
        sent += send_notice(
            kind=Kind.EXIT_CONVERSATIONS,
            key=key,
            user=manager,
            subject=f"{count} exit conversation{'s' if count != 1 else ''} due in your teams",
            template="leavers/email/exit_conversations_due.txt",
            context={
                "count": count,
                "lines": lines,
                "more": count - len(lines),
                "leavers_url": link(f"{reverse('leavers:leavers')}?conversation=due"),
            },
        )
    return Reminders(managers=managers, sent=sent, due=due_total)
