"""Anonymise leavers' personal details once the retention period has passed.

Only what identifies a person is replaced: names, staff reference, Social Work England
number, census details (birth date, gender, ethnicity, qualifying institution) and the
free text of the exit conversation (notes and quotes). Every date, FTE, role, team and
code that a figure is computed from is kept, so no figure changes. The same fields are
purged from the change history (django-simple-history) and from the admin's log, so the
old values cannot be read back there either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from leavers.models import ExitConversation, Leaver
from workforce.models import Absence, Assignment, Worker
from workforce.services import save_worker

ANONYMOUS_FIRST_NAME = "Anonymised"
ANONYMOUS_LAST_NAME = "leaver"
ANONYMOUS_REPR = "Anonymised leaver"
CHANGE_REASON = "Anonymised after the retention period"


def anonymous_reference(worker_pk: int) -> str:
    """Return the staff reference an anonymised worker is given (unique, meaningless)."""
    return f"ANON-{worker_pk:06d}"


def anonymous_worker_fields(worker_pk: int) -> dict[str, object]:
    """Return the values that replace a worker's personal details."""
    return {
        "staff_reference": anonymous_reference(worker_pk),
        "first_name": ANONYMOUS_FIRST_NAME,
        "last_name": ANONYMOUS_LAST_NAME,
        "swe_number": "",
        "birth_date": None,
        "gender": "",
        "ethnicity": "",
        "qualifying_institution": "",
    }


ANONYMOUS_CONVERSATION_FIELDS: dict[str, object] = {"notes": "", "quote": "", "quote_consent": False}


@dataclass(frozen=True)
class Anonymisation:
    """What an anonymisation run did (or, in a dry run, would do)."""

    cutoff: dt.date
    workers: int
    leavers: int
    conversations: int
    dry_run: bool


def due_for_anonymisation(*, cutoff: dt.date):
    """Return the leavers not yet anonymised who left before ``cutoff`` and have not come back.

    A worker with an assignment still running on or after ``cutoff``, or a later leaving,
    keeps their details: they are not (only) an old leaver.
    """
    recent_work = Assignment.objects.filter(worker=OuterRef("worker")).filter(
        Q(end__isnull=True) | Q(end__gte=cutoff)
    )
    recent_leaving = Leaver.objects.filter(worker=OuterRef("worker"), leaving_date__gte=cutoff)
    return (
        Leaver.objects.filter(leaving_date__lt=cutoff, anonymised_on__isnull=True)
        .exclude(Exists(recent_work))
        .exclude(Exists(recent_leaving))
        .select_related("worker")
    )


@transaction.atomic
def anonymise_leavers(*, cutoff: dt.date, today: dt.date, dry_run: bool = False) -> Anonymisation:
    """Anonymise the leavers who left before ``cutoff``; return what was done.

    Running it again finds nothing more to do. With ``dry_run`` nothing is changed.
    """
    leavers = list(due_for_anonymisation(cutoff=cutoff))
    worker_pks = sorted({leaver.worker_id for leaver in leavers})
    conversations = list(ExitConversation.objects.filter(leaver__in=[leaver.pk for leaver in leavers]))
    result = Anonymisation(
        cutoff=cutoff,
        workers=len(worker_pks),
        leavers=len(leavers),
        conversations=len(conversations),
        dry_run=dry_run,
    )
    if dry_run or not leavers:
        return result

    for worker in Worker.objects.filter(pk__in=worker_pks):
        for name, value in anonymous_worker_fields(worker.pk).items():
            setattr(worker, name, value)
        worker._change_reason = CHANGE_REASON
        save_worker(worker=worker)
    for conversation in conversations:
        for name, value in ANONYMOUS_CONVERSATION_FIELDS.items():
            setattr(conversation, name, value)
        conversation._change_reason = CHANGE_REASON
        conversation.full_clean()
        conversation.save()
    Leaver.objects.filter(pk__in=[leaver.pk for leaver in leavers]).update(anonymised_on=today)

    # The change history keeps every earlier version: purge the same fields there.
    HistoricalWorker = Worker.history.model
    for pk in worker_pks:
        HistoricalWorker.objects.filter(id=pk).update(**anonymous_worker_fields(pk))
    ExitConversation.history.model.objects.filter(id__in=[c.pk for c in conversations]).update(
        **ANONYMOUS_CONVERSATION_FIELDS
    )
    _purge_admin_log(worker_pks)
    return result


def _purge_admin_log(worker_pks: list[int]) -> None:
    """Replace the names the admin's log wrote for these workers' records ("Ann Lee (E001)")."""
    owned = {
        Worker: worker_pks,
        Leaver: Leaver.objects.filter(worker__in=worker_pks).values_list("pk", flat=True),
        Assignment: Assignment.objects.filter(worker__in=worker_pks).values_list("pk", flat=True),
        Absence: Absence.objects.filter(worker__in=worker_pks).values_list("pk", flat=True),
        ExitConversation: ExitConversation.objects.filter(leaver__worker__in=worker_pks).values_list(
            "pk", flat=True
        ),
    }
    for model, pks in owned.items():
        content_type = ContentType.objects.get_for_model(model)
        LogEntry.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in pks]).update(
            object_repr=ANONYMOUS_REPR
        )
