"""The starts file: candidates who started, each in a vacant post, through ``start_candidate``.

A start is what fills a post: ``recruitment.services.start_candidate`` checks the offer was
accepted, the post is a vacant establishment post of the application's role, creates the
worker (or moves an internal or agency candidate) and the assignment, and ends agency cover
of the vacancy the day before. A row names its application as the applications file does
(campaign, role and email), so it may name one that file of the same import brings in.
Importing the same start again changes nothing; a start recorded differently is corrected
in the admin, not by re-importing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from dataio.importing import values as read
from dataio.importing.kinds.applications import applications_by_key, campaign_named
from dataio.importing.kinds.base import Applied, Column, Kind, RowProblem, outcome, show
from recruitment import services
from recruitment.models import Application
from workforce.models import EMPLOYEE_CONTRACTS, Contract, StartOrigin

if TYPE_CHECKING:
    from dataio.importing.context import Context

EMPLOYEE_CHOICES = [(value, label) for value, label in Contract.choices if value in EMPLOYEE_CONTRACTS]


class Starts(Kind):
    name = "starts"
    title = "Recruitment starts"
    record = "start"
    key = ("campaign", "role", "email")
    model = Application
    error_columns = {
        "start_date": "start_date",
        "started_on": "start_date",
        "post": "post_reference",
        "fte": "fte",
        "contract": "contract",
        "end_date": "end_date",
        "staff_reference": "staff_reference",
        "offer_accepted_on": "email",
        "offer_withdrawn_on": "email",
    }
    columns = (
        Column(
            "campaign",
            read.text,
            "The campaign's title, as in the applications file or already recorded.",
            "Autumn 2025 experienced social workers",
            required=True,
        ),
        Column("role", read.text, "The role applied for, by name or code.", "Social Worker", required=True),
        Column(
            "email",
            read.text,
            "The candidate's email address. With the campaign and role, this names the application, "
            "whose offer must have been accepted.",
            "sam.jones@example.org",
            required=True,
        ),
        Column(
            "start_date",
            read.date,
            "The first day in post: on or after the offer was accepted.",
            "2025-12-01",
            required=True,
        ),
        Column(
            "post_reference",
            read.text,
            "The vacant establishment post of the application's role the candidate fills.",
            "CIN-02",
            required=True,
        ),
        Column(
            "fte",
            read.decimal,
            "Full-time equivalent worked: more than 0, at most 1; blank: the post's FTE.",
            "1",
        ),
        Column(
            "contract",
            read.choice(EMPLOYEE_CHOICES, what="contract for a start"),
            "permanent or fixed_term; blank: permanent.",
            "permanent",
        ),
        Column("end_date", read.date, "A fixed-term contract's last day.", ""),
        Column(
            "staff_reference",
            read.text,
            "The new worker's staff reference (blank: the internal or agency candidate's own, or one "
            "made from the application).",
            "W1009",
        ),
        Column(
            "start_origin",
            read.choice(StartOrigin.choices, what="census StartOrigin code"),
            "Where the starter comes from, as the census StartOrigin code 1-10; blank: the application's.",
            "2",
        ),
    )

    refers = {"post_reference": "posts"}

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        application = self._application(values, context)
        post = context.find(
            context.posts, values["post_reference"], kind="posts", what="post", column="post_reference"
        )
        if application.started_on is not None:
            started_in = application.assignment.post if application.assignment_id else None
            if application.started_on == values["start_date"] and started_in == post:
                return outcome(False, ())
            where = f" in post {started_in.reference}" if started_in else ""
            raise RowProblem(
                f"the candidate already started on {show(application.started_on)}{where}; a start is "
                "corrected in the admin, not by importing it again",
                "start_date",
            )
        try:
            services.start_candidate(
                application=application,
                post=post,
                start_date=values["start_date"],
                fte=values.get("fte") or post.fte,
                contract=values.get("contract") or Contract.PERMANENT,
                end_date=values.get("end_date"),
                staff_reference=values.get("staff_reference") or "",
                start_origin=values.get("start_origin"),
                user=context.user,
            )
        except ValidationError:
            application.refresh_from_db()  # the savepoint is rolled back; so is the application
            raise
        return outcome(True, ())

    def _application(self, values: dict[str, Any], context: Context) -> Application:
        campaign = campaign_named(values["campaign"], context)
        role = context.roles.get(values["role"])
        if role is None:
            raise RowProblem(f"there is no role '{values['role']}'", "role")
        application = applications_by_key(context).get((campaign.pk, role.pk, values["email"].casefold()))
        if application is not None:
            return application
        where = context.failed_at("applications", self.reference(values))
        if where:
            raise RowProblem(
                f"application {self.reference(values)} is not imported because its own row has problems "
                f"({where})",
                "email",
            )
        raise RowProblem(
            f"there is no application from {values['email']} for {role.name} in '{campaign.title}' (it is "
            "neither already recorded nor in an applications file of this import)",
            "email",
        )
