"""The pages' scheduled work: building the figures people will open (``pages.warming``)."""

from __future__ import annotations

import datetime as dt

from jobs.schedule import scheduled


@scheduled(
    "warm-dashboards",
    help="Queue the builds of every user's dashboard and each upcoming draft report's figures, so "
    "nobody waits for them; what is kept and current is left alone. Also run when the product starts.",
    when="30 6 * * *",
)
def warm_dashboards(*, today: dt.date, force: bool = False) -> str:
    from pages.warming import warm

    done = warm(today=today)
    dashboards = f"{done.dashboards} dashboard{'s' if done.dashboards != 1 else ''}"
    drafts = "1 draft report's" if done.drafts == 1 else f"{done.drafts} draft reports'"
    return (
        f"{done.queued} of {dashboards} queued to be built (the others are kept and current); "
        f"{drafts} figures queued."
    )
