"""Writes of recruitment. Each runs in a transaction and validates before it saves.

The admin (single edits and actions on many), the bulk upload and the demo loader call
these, so the order of the stages (``recruitment.rules``) and the establishment's rules
(``workforce.rules``, through ``workforce.services``) apply wherever a record comes from.
``user`` is recorded as the author of the change in each record's history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from foundation.dates import long_date
from recruitment.models import Application, Campaign, Channel, DeclineReason, Interview, InterviewOutcome
from recruitment.rules import check_interviews, first_attended
from workforce import services as workforce_services
from workforce.agency_rules import agency_terms
from workforce.models import (
    EMPLOYEE_CONTRACTS,
    AgencyReason,
    Assignment,
    Contract,
    Funding,
    Post,
    Role,
    StartOrigin,
    Worker,
)
from workforce.selectors import annotate_post_figures
from workforce.selectors import fte as as_fte

ONE_DAY = dt.timedelta(days=1)


def _d(day: dt.date) -> str:
    return f"{long_date(day)}"


def _by(user: Any, *records: Any) -> None:
    """Record ``user`` as the author of the next save of each record (django-simple-history)."""
    if user is not None and getattr(user, "is_authenticated", False):
        for record in records:
            record._history_user = user


# --- campaigns ---------------------------------------------------------------------


@transaction.atomic
def save_campaign(
    *,
    campaign: Campaign,
    roles: Iterable[Role] | None = None,
    channels: Iterable[Channel] | None = None,
    user: Any = None,
) -> Campaign:
    """Validate and save ``campaign``; set its roles and channels when given."""
    campaign.full_clean()
    _by(user, campaign)
    campaign.save()
    if roles is not None:
        campaign.roles.set(roles)
    if channels is not None:
        campaign.channels.set(channels)
    return campaign


# --- applications and their stages ---------------------------------------------------


def _newly_recorded(application: Application, previous: Application | None, field: str) -> bool:
    return getattr(application, field) is not None and (previous is None or getattr(previous, field) is None)


def check_decline_reason(application: Application, previous: Application | None = None) -> None:
    """Raise ``ValidationError`` on ``decline_reason`` unless the reason fits the offer's answer.

    A decline or withdrawal recorded now needs a current reason. Offers declined or
    withdrawn before reasons were kept (``previous``, the record as saved, already had
    the date) keep no reason and show as "not recorded": nothing is guessed for them.
    A reason belongs only to an offer declined or withdrawn, and a retired reason is
    kept where it was recorded but not chosen again.
    """
    reason = application.decline_reason
    declined_or_withdrawn = application.offer_declined_on or application.offer_withdrawn_on
    if reason is not None and not declined_or_withdrawn:
        raise ValidationError(
            {
                "decline_reason": "A reason is recorded only for an offer declined or withdrawn: "
                "record the date of the decline or withdrawal, or clear the reason."
            }
        )
    if reason is None:
        for field, what in (("offer_declined_on", "declined"), ("offer_withdrawn_on", "withdrawn")):
            if _newly_recorded(application, previous, field):
                raise ValidationError(
                    {
                        "decline_reason": f"Say why the offer was {what}: choose a reason "
                        "(the list is kept in the admin under Offer decline reasons)."
                    }
                )
        return
    if not reason.active and (previous is None or previous.decline_reason_id != reason.pk):
        raise ValidationError(
            {"decline_reason": f"The reason “{reason.name}” is retired; choose a current one."}
        )


def saved_version(application: Application) -> Application | None:
    """Return ``application`` as it is saved in the database (None if it is new)."""
    return Application.objects.filter(pk=application.pk).first() if application.pk else None


@transaction.atomic
def save_application(
    *, application: Application, interviews: Sequence[Interview] | None = None, user: Any = None
) -> Application:
    """Validate and save ``application`` with its interviews.

    ``interviews`` is the complete list the application will have (saved ones not in it
    are deleted); None keeps the saved interviews as they are. A newly recorded
    acceptance by an agency worker shows their cover as awaiting transfer from that day;
    a withdrawal after acceptance puts it back.
    """
    previous = saved_version(application)
    if interviews is None:
        interviews = list(application.interviews.all()) if application.pk else []
    application.interviewed_on = first_attended(interviews)
    application.full_clean()
    check_decline_reason(application, previous)
    check_interviews(application, interviews)
    for interview in interviews:
        interview.full_clean(exclude=["application"])

    _by(user, application)
    application.save()
    kept = [i.pk for i in interviews if i.pk]
    for stale in application.interviews.exclude(pk__in=kept):
        _by(user, stale)
        stale.delete()
    for interview in interviews:
        interview.application = application
        _by(user, interview)
        interview.save()

    accepted_before = previous.offer_accepted_on if previous else None
    withdrawn_before = previous.offer_withdrawn_on if previous else None
    if application.offer_accepted_on and accepted_before is None and application.worker_id:
        _move_agency_cover(
            application.worker,
            on=application.offer_accepted_on,
            to_reason=AgencyReason.AWAITING_TRANSFER,
            user=user,
        )
    if (
        application.offer_withdrawn_on
        and withdrawn_before is None
        and application.offer_accepted_on
        and application.worker_id
    ):
        _move_agency_cover(application.worker, on=application.offer_withdrawn_on, to_reason=None, user=user)
    return application


def _require_empty(application: Application, field: str, what: str) -> None:
    day = getattr(application, field)
    if day is not None:
        raise ValidationError({field: f"The {what} is already recorded ({_d(day)})."})


def shortlist(*, application: Application, shortlisted_on: dt.date, user: Any = None) -> Application:
    """Record that ``application`` was shortlisted on ``shortlisted_on``."""
    _require_empty(application, "shortlisted_on", "shortlisting")
    application.shortlisted_on = shortlisted_on
    return save_application(application=application, user=user)


def record_interview(
    *,
    application: Application,
    held_on: dt.date,
    panel: str = "",
    outcome: str = InterviewOutcome.PENDING,
    user: Any = None,
) -> Interview:
    """Add an interview of ``application`` held on ``held_on``."""
    interview = Interview(application=application, held_on=held_on, panel=panel, outcome=outcome)
    save_application(
        application=application, interviews=[*application.interviews.all(), interview], user=user
    )
    return interview


def make_offer(
    *,
    application: Application,
    offered_on: dt.date,
    salary_point: str = "",
    salary: Decimal | None = None,
    market_premium: Decimal | None = None,
    start_planned_on: dt.date | None = None,
    user: Any = None,
) -> Application:
    """Record an offer to ``application`` (it needs an interview the candidate attended)."""
    _require_empty(application, "offered_on", "offer")
    application.offered_on = offered_on
    application.salary_point = salary_point
    application.salary = salary
    application.market_premium = market_premium
    application.start_planned_on = start_planned_on
    return save_application(application=application, user=user)


def accept_offer(
    *,
    application: Application,
    accepted_on: dt.date,
    start_planned_on: dt.date | None = None,
    user: Any = None,
) -> Application:
    """Record that the candidate accepted the offer on ``accepted_on``.

    An agency worker's cover is shown as awaiting transfer to a permanent role from then.
    """
    _require_empty(application, "offer_accepted_on", "acceptance")
    _require_empty(application, "offer_declined_on", "decline")
    application.offer_accepted_on = accepted_on
    if start_planned_on is not None:
        application.start_planned_on = start_planned_on
    return save_application(application=application, user=user)


def decline_offer(
    *, application: Application, declined_on: dt.date, reason: DeclineReason | None, user: Any = None
) -> Application:
    """Record that the candidate declined the offer on ``declined_on``, and why."""
    _require_empty(application, "offer_declined_on", "decline")
    if application.offer_accepted_on:
        raise ValidationError(
            {
                "offer_declined_on": f"The offer was accepted on {_d(application.offer_accepted_on)}; "
                "record a withdrawal instead."
            }
        )
    application.offer_declined_on = declined_on
    application.decline_reason = reason
    return save_application(application=application, user=user)


def withdraw_offer(
    *, application: Application, withdrawn_on: dt.date, reason: DeclineReason | None, user: Any = None
) -> Application:
    """Record that the offer was withdrawn on ``withdrawn_on`` (before any start), and why."""
    _require_empty(application, "offer_withdrawn_on", "withdrawal")
    if application.offer_declined_on:
        raise ValidationError(
            {
                "offer_withdrawn_on": f"The offer was declined on {_d(application.offer_declined_on)}; "
                "there is no offer left to withdraw."
            }
        )
    application.offer_withdrawn_on = withdrawn_on
    application.decline_reason = reason
    return save_application(application=application, user=user)


# --- agency cover around an offer ------------------------------------------------------


def _move_agency_cover(worker: Worker, *, on: dt.date, to_reason: str | None, user: Any) -> None:
    """Split ``worker``'s agency assignments active on ``on`` so that from ``on`` they carry
    ``to_reason`` (None: the reason they had before awaiting transfer, or vacancy cover)."""
    active = Assignment.objects.agency().active_on(on).filter(worker=worker).select_related("post")
    for assignment in active:
        if to_reason is None:
            if assignment.agency_reason != AgencyReason.AWAITING_TRANSFER:
                continue
            before = (
                Assignment.objects.agency()
                .filter(worker=worker, post=assignment.post, end=assignment.start - ONE_DAY)
                .exclude(agency_reason=AgencyReason.AWAITING_TRANSFER)
                .first()
            )
            reason = before.agency_reason if before else AgencyReason.VACANCY
        else:
            if assignment.agency_reason == to_reason:
                continue
            reason = to_reason
        if assignment.start == on:
            assignment.agency_reason = reason
            _by(user, assignment)
            workforce_services.save_assignment(assignment=assignment)
            continue
        original_end = assignment.end
        _by(user, assignment)
        workforce_services.end_assignment(assignment=assignment, last_day=on - ONE_DAY)
        follow_on = Assignment(
            worker=worker,
            post=assignment.post,
            start=on,
            end=original_end,
            fte=assignment.fte,
            contract=Contract.AGENCY,
            # The same engagement goes on: its supplier, rates and the agency rules' details too.
            **{**agency_terms(assignment), "agency_reason": reason},
        )
        _by(user, follow_on)
        workforce_services.save_assignment(assignment=follow_on)


# --- starts ---------------------------------------------------------------------------


def _start_origin(application: Application, worker: Worker | None, start_date: dt.date) -> int:
    if application.start_origin:
        return application.start_origin
    if application.newly_qualified:
        return StartOrigin.NEWLY_QUALIFIED
    if (
        worker is not None
        and Assignment.objects.agency().active_on(start_date - ONE_DAY).filter(worker=worker).exists()
    ):
        return StartOrigin.AGENCY
    return StartOrigin.NOT_KNOWN


def _check_can_start(application: Application, start_date: dt.date) -> None:
    if application.started_on:
        raise ValidationError(
            {"started_on": f"The candidate already started on {_d(application.started_on)}."}
        )
    if application.offer_accepted_on is None:
        raise ValidationError(
            {"offer_accepted_on": "No start without an accepted offer: record the acceptance first."}
        )
    if application.offer_withdrawn_on:
        raise ValidationError(
            {"offer_withdrawn_on": f"The offer was withdrawn on {_d(application.offer_withdrawn_on)}."}
        )
    if start_date < application.offer_accepted_on:
        raise ValidationError(
            {
                "start_date": f"The start ({_d(start_date)}) cannot be before the offer was accepted "
                f"({_d(application.offer_accepted_on)})."
            }
        )


def _check_post(application: Application, post: Post, start_date: dt.date, fte: Decimal) -> None:
    if post.funding != Funding.ESTABLISHMENT:
        raise ValidationError(
            {"post": f"Post {post.reference} is temporary; a start fills a vacant establishment post."}
        )
    if post.role_id != application.role_id:
        raise ValidationError(
            {
                "post": f"Post {post.reference} is a {post.role.name} post; this application is for "
                f"{application.role.name}."
            }
        )
    if not post.is_active_on(start_date):
        raise ValidationError({"post": f"Post {post.reference} is not active on {_d(start_date)}."})


def _check_vacancy(post: Post, start_date: dt.date, fte: Decimal) -> None:
    vacancy = as_fte(annotate_post_figures(Post.objects.filter(pk=post.pk), start_date).get().vacancy_fte)
    if vacancy < fte:
        raise ValidationError(
            {
                "post": f"Post {post.reference} has {vacancy.normalize():f} FTE vacant on {_d(start_date)}; "
                f"this start needs {Decimal(fte).normalize():f}."
            }
        )


ASSIGNMENT_FIELDS = {"start": "start_date", "end": "end_date", "fte": "fte", "post": "post", "worker": "post"}


def _save_start_assignment(assignment: Assignment, user: Any) -> Assignment:
    """Save the new assignment, naming the start's own fields in any error."""
    _by(user, assignment)
    try:
        return workforce_services.save_assignment(assignment=assignment)
    except ValidationError as error:
        raise ValidationError(
            {ASSIGNMENT_FIELDS.get(field, field): messages for field, messages in error.message_dict.items()}
        ) from error


@transaction.atomic
def start_candidate(
    *,
    application: Application,
    post: Post,
    start_date: dt.date,
    fte: Decimal,
    contract: str = Contract.PERMANENT,
    end_date: dt.date | None = None,
    staff_reference: str = "",
    start_origin: int | None = None,
    end_vacancy_cover: bool = True,
    user: Any = None,
) -> Assignment:
    """Start the candidate of ``application`` in ``post`` from ``start_date``; return the assignment.

    The post must be a vacant establishment post of the application's role. The worker
    is the application's (an internal or agency candidate) or a new one; any assignment
    they hold on the start date ends the day before (an agency worker's cover, an
    internal candidate's old post). Agency cover of the vacancy in ``post`` ends the
    day before too, unless ``end_vacancy_cover`` is False. A new starter's continuous
    service starts on ``start_date`` with their census start origin.
    """
    _check_can_start(application, start_date)
    if contract not in EMPLOYEE_CONTRACTS:
        raise ValidationError({"contract": "A start is onto a permanent or fixed-term contract."})
    fte = Decimal(fte)
    _check_post(application, post, start_date, fte)

    worker = application.worker
    if worker is not None:
        later = Assignment.objects.filter(worker=worker, start__gte=start_date).first()
        if later is not None:
            raise ValidationError(
                {
                    "start_date": f"{worker.staff_reference} already has an assignment from "
                    f"{_d(later.start)} in {later.post.reference}; the start must be after it."
                }
            )
        employee_before = (
            Assignment.objects.employees().active_on(start_date - ONE_DAY).filter(worker=worker).exists()
        )
        if not employee_before:
            worker.service_start = start_date
            worker.start_origin = start_origin or _start_origin(application, worker, start_date)
            _by(user, worker)
            workforce_services.save_worker(worker=worker)
        for current in Assignment.objects.overlapping(start_date, None).filter(worker=worker):
            _by(user, current)
            workforce_services.end_assignment(assignment=current, last_day=start_date - ONE_DAY)
    else:
        worker = Worker(
            staff_reference=staff_reference or f"R{application.pk:06d}",
            first_name=application.first_name,
            last_name=application.last_name,
            service_start=start_date,
            start_origin=start_origin or _start_origin(application, None, start_date),
        )
        _by(user, worker)
        try:
            workforce_services.save_worker(worker=worker)
        except ValidationError as error:
            if "staff_reference" in error.message_dict:
                raise ValidationError({"staff_reference": error.message_dict["staff_reference"]}) from error
            raise

    if end_vacancy_cover:
        cover = (
            Assignment.objects.agency()
            .active_on(start_date)
            .filter(post=post, agency_reason=AgencyReason.VACANCY, start__lt=start_date)
        )
        for assignment in cover:
            _by(user, assignment)
            workforce_services.end_assignment(assignment=assignment, last_day=start_date - ONE_DAY)

    # Checked after the worker's own assignments end: a fixed-term holder made permanent
    # in the same post frees it the day before.
    _check_vacancy(post, start_date, fte)
    assignment = _save_start_assignment(
        Assignment(worker=worker, post=post, start=start_date, end=end_date, fte=fte, contract=contract), user
    )
    application.worker = worker
    application.team = post.team
    application.started_on = start_date
    application.assignment = assignment
    save_application(application=application, user=user)
    return assignment


@transaction.atomic
def record_existing_start(
    *, application: Application, assignment: Assignment, user: Any = None
) -> Application:
    """Link ``application`` to an assignment already in the establishment as its start.

    For starts that came in another way (the HR system's extract, the demonstration
    data): the assignment must be an employee one in a post of the application's role,
    starting on or after the acceptance. An agency assignment of the same worker still
    running then ends the day before.
    """
    _check_can_start(application, assignment.start)
    if assignment.contract not in EMPLOYEE_CONTRACTS:
        raise ValidationError({"assignment": "A start is a permanent or fixed-term assignment."})
    if assignment.post.role_id != application.role_id:
        raise ValidationError(
            {
                "assignment": f"Post {assignment.post.reference} is a {assignment.post.role.name} post; "
                f"this application is for {application.role.name}."
            }
        )
    if application.worker_id and application.worker_id != assignment.worker_id:
        raise ValidationError({"assignment": "The assignment is another worker's."})
    if Application.objects.filter(assignment=assignment).exists():
        raise ValidationError({"assignment": "The assignment is already another application's start."})
    cover = (
        Assignment.objects.agency()
        .overlapping(assignment.start, None)
        .filter(worker_id=assignment.worker_id, start__lt=assignment.start)
    )
    for current in cover:
        _by(user, current)
        workforce_services.end_assignment(assignment=current, last_day=assignment.start - ONE_DAY)
    application.worker_id = assignment.worker_id
    application.team_id = assignment.post.team_id
    application.started_on = assignment.start
    application.assignment = assignment
    return save_application(application=application, user=user)
