"""Builders for recruitment records. Each writes through the recruitment services."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from recruitment import services
from recruitment.models import Application, Campaign, Channel, DeclineReason, InterviewOutcome
from tests import factories

_sequence = itertools.count(1)
D = dt.date
OPENS = dt.date(2025, 1, 1)


def channel(code: str = "targeted-online") -> Channel:
    """Return a seeded channel by its code."""
    return Channel.objects.get(code=code)


def decline_reason(code: str = "salary") -> DeclineReason:
    """Return a seeded offer decline reason by its code."""
    return DeclineReason.objects.get(code=code)


def campaign(
    *,
    title: str | None = None,
    role_codes: tuple[str, ...] = ("social-worker", "senior-practitioner", "team-manager"),
    opens_on: dt.date = OPENS,
    closes_on: dt.date | None = None,
    cost: str | Decimal = "0",
    channel_codes: tuple[str, ...] = ("targeted-online",),
    **fields: Any,
) -> Campaign:
    return services.save_campaign(
        campaign=Campaign(
            title=title or f"Campaign {next(_sequence)}",
            opens_on=opens_on,
            closes_on=closes_on,
            cost=Decimal(cost),
            **fields,
        ),
        roles=[factories.role(code) for code in role_codes],
        channels=[channel(code) for code in channel_codes],
    )


def application(
    campaign_: Campaign, *, role_code: str = "social-worker", received_on: dt.date = OPENS, **fields: Any
) -> Application:
    number = next(_sequence)
    defaults: dict[str, Any] = {
        "first_name": "Candidate",
        "last_name": f"Number{number}",
        "email": f"candidate{number}@example.org",
    }
    defaults.update(fields)
    return services.save_application(
        application=Application(
            campaign=campaign_, role=factories.role(role_code), received_on=received_on, **defaults
        )
    )


def days(start: dt.date, n: int) -> dt.date:
    return start + dt.timedelta(days=n)


def progress(
    app: Application,
    *,
    to: str,
    shortlisted: int = 7,
    interviewed: int = 14,
    offered: int = 21,
    accepted: int = 28,
    outcome: str = InterviewOutcome.APPOINTABLE,
    reason: str = "salary",
) -> Application:
    """Move ``app`` through the stages up to ``to``, each so many days after it was received
    (a decline or withdrawal on the day of ``accepted``, for the reason coded ``reason``)."""
    order = ["shortlisted", "interviewed", "offered", "accepted", "declined", "withdrawn"]
    steps = order[: order.index(to) + 1] if to in order[:4] else [*order[:3], to]
    r = app.received_on
    for step in steps:
        if step == "shortlisted":
            services.shortlist(application=app, shortlisted_on=days(r, shortlisted))
        elif step == "interviewed":
            services.record_interview(application=app, held_on=days(r, interviewed), outcome=outcome)
        elif step == "offered":
            services.make_offer(application=app, offered_on=days(r, offered), salary_point="KR10 point 1")
        elif step == "accepted":
            services.accept_offer(application=app, accepted_on=days(r, accepted))
        elif step == "declined":
            services.decline_offer(
                application=app, declined_on=days(r, accepted), reason=decline_reason(reason)
            )
        elif step == "withdrawn":
            services.withdraw_offer(
                application=app, withdrawn_on=days(r, accepted), reason=decline_reason(reason)
            )
    return app


def small_county() -> dict:
    """Two teams, three campaigns and ten applications, worked by hand below.

    Social workers (team one), received in 2025 unless said:
      a1 started: offer day 21, start day 59     a2 offered on day 30
      a3 interviewed                             a4 received only
      a5 internal, offered on day 40             a6 received in December 2024 (outside)
      a7 received 20/12/2025: interviewed 30/12, offered 20/01/2026 (after the window)
    Senior practitioners (team two): b1 internal, offered day 21, declined; b2 shortlisted.
    Newly qualified (the cohort campaign, no team yet): n1 accepted; n2 received.
    """
    one = factories.team("Team One")
    two = factories.team("Team Two", area=factories.service_area("Children in Care"))
    main = campaign(title="Main", opens_on=D(2024, 12, 1), closes_on=D(2025, 6, 30), cost="6000")
    campaign(
        title="Last year",
        role_codes=("team-manager",),
        opens_on=D(2024, 1, 1),
        closes_on=D(2024, 12, 31),
        cost="1000",
    )
    cohort = campaign(
        title="Cohort", role_codes=("social-worker",), opens_on=D(2025, 3, 1), cost="2000",
        newly_qualified_cohort=True, cohort_starts_on=D(2025, 9, 1), target_hires=2,
    )  # fmt: skip

    def sw(received, **fields):
        return application(main, received_on=received, team=one, **fields)

    a1 = progress(sw(D(2025, 2, 1), first_name="Anna"), to="accepted", offered=21)
    post = factories.post(team=one)
    services.start_candidate(application=a1, post=post, start_date=D(2025, 4, 1), fte=1)
    progress(sw(D(2025, 3, 1)), to="offered", offered=30)
    progress(sw(D(2025, 3, 1)), to="interviewed")
    sw(D(2025, 4, 1))
    progress(sw(D(2025, 5, 1), internal=True), to="offered", offered=40)
    progress(sw(D(2024, 12, 15)), to="offered")
    progress(sw(D(2025, 12, 20)), to="offered", shortlisted=3, interviewed=10, offered=31)
    b1 = application(
        main, role_code="senior-practitioner", received_on=D(2025, 2, 1), team=two, internal=True
    )
    progress(b1, to="declined", offered=21)
    progress(
        application(main, role_code="senior-practitioner", received_on=D(2025, 2, 10), team=two),
        to="shortlisted",
    )
    progress(application(cohort, received_on=D(2025, 3, 5), newly_qualified=True), to="accepted")
    application(cohort, received_on=D(2025, 3, 6), newly_qualified=True)
    return {"one": one, "two": two, "main": main, "cohort": cohort}
