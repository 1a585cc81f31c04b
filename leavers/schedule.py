"""The leavers' scheduled work: anonymisation after the retention period, and the weekly
reminders of exit conversations due (run by ``manage.py run_scheduled NAME``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from foundation.dates import long_date
from foundation.periods import add_months
from jobs.schedule import scheduled
from leavers.anonymise import anonymise_leavers
from leavers.reminders import send_exit_conversation_reminders


@scheduled(
    "anonymise",
    help="Anonymise leavers past the retention period (LEAVER_RETENTION_YEARS), as anonymise_leavers does.",
    when="30 2 * * *",
)
def anonymise(*, today: dt.date, force: bool = False) -> str:
    years = settings.WORKFORCE["LEAVER_RETENTION_YEARS"]
    cutoff = add_months(today, -12 * years)
    result = anonymise_leavers(cutoff=cutoff, today=today)
    return (
        f"Anonymised {result.leavers} leaver{'s' if result.leavers != 1 else ''} who left before "
        f"{long_date(cutoff)} ({years} years' retention)."
    )


@scheduled(
    "reminders",
    help="Email each manager the exit conversations due in their teams (once a week at most).",
    when="0 7 * * 1",
)
def reminders(*, today: dt.date, force: bool = False) -> str:
    done = send_exit_conversation_reminders(today=today)
    return (
        f"{done.due} exit conversation{'s' if done.due != 1 else ''} due for {done.managers} "
        f"manager{'s' if done.managers != 1 else ''}: {done.sent} email{'s' if done.sent != 1 else ''} sent "
        "(none is sent twice in a week)."
    )
