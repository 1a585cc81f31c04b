"""The exit conversations file: what each leaver's manager learned, saved by ``leavers.services``.

A council loading its history brings in the conversations held with leavers: where they
went, why they left (one or more reasons), notes, and a quote with the leaver's consent.
Each row names its leaver as the leavers file does (staff reference and leaving date), so
it may name a leaver recorded earlier or one the leavers file of the same import records.
The conversation's rules (``leavers.rules``) apply: not dated in the future nor before the
leaver's service began, a current destination and reasons, no consent without a quote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dataio.importing import values as read
from dataio.importing.context import Lookup, chunks
from dataio.importing.kinds.base import Applied, Column, Kind, RowProblem, assign, field_values, outcome
from leavers import services
from leavers.models import Destination, ExitConversation, ExitReason, Leaver
from workforce.models import Worker

if TYPE_CHECKING:
    from dataio.importing.context import Context


def _reasons(value: Any) -> list[str]:
    """Return the reasons in a cell, separated by semicolons (a reason's name may hold a comma)."""
    return [name.strip() for name in read.text(value).split(";") if name.strip()]


def _code_lookup(model: type, context: Context, key: str) -> Lookup:
    if key not in context.extra:
        context.extra[key] = Lookup(model.objects.all, lambda code: code.code, lambda code: code.name)
    return context.extra[key]


class ExitConversations(Kind):
    name = "exit_conversations"
    title = "Exit conversations"
    record = "exit conversation"
    key = ("staff_reference", "leaving_date")
    model = ExitConversation
    columns = (
        Column(
            "staff_reference",
            read.text,
            "The leaver's staff reference, as in the leavers file or already recorded.",
            "W1007",
            required=True,
        ),
        Column(
            "leaving_date",
            read.date,
            "The leaver's leaving date. With the staff reference, this names the leaver (one "
            "conversation each).",
            "2025-03-31",
            required=True,
        ),
        Column(
            "held_on",
            read.date,
            "The day of the conversation: not in the future, nor before the leaver's service began.",
            "2025-03-24",
            required=True,
            field="held_on",
        ),
        Column(
            "destination",
            read.text,
            "Where the leaver went, by its code or name as set up in the admin under Destinations.",
            "another-la",
            required=True,
        ),
        Column(
            "reasons",
            _reasons,
            "Why they left: one or more exit reasons, by code or name (admin: Exit reasons), "
            "separated by semicolons.",
            "workload; progression",
            required=True,
        ),
        Column(
            "notes",
            read.text,
            "The manager's notes; private to managers and HR, never in a report.",
            "Would consider returning.",
            field="notes",
            empty="",
        ),
        Column(
            "quote",
            read.text,
            "Words the leaver is happy to have quoted, written without names.",
            "The team was supportive but the caseload was too high.",
            field="quote",
            empty="",
        ),
        Column(
            "quote_consent",
            read.yes_no,
            "Did the leaver consent to being quoted anonymously? Yes or no; blank: no.",
            "yes",
            field="quote_consent",
            empty=False,
        ),
    )

    refers = {"staff_reference": "workers"}

    def prepare(self, rows: list[dict[str, Any]], context: Context) -> None:
        """Read the workers the rows name, their leavers and those leavers' conversations."""
        super().prepare(rows, context)
        found = (context.workers.get(values["staff_reference"]) for values in rows)
        workers = {worker.pk: worker for worker in found if worker is not None and worker.pk is not None}
        leavers: dict[tuple, Leaver] = {}
        for chunk in chunks(context.recorded_before(Worker, workers)):
            for leaver in Leaver.objects.filter(worker_id__in=chunk).select_related(
                "exit_conversation__destination"
            ):
                leaver.worker = workers[leaver.worker_id]
                leavers[(leaver.worker.staff_reference.casefold(), leaver.leaving_date)] = leaver
        # Leavers the leavers file of this import recorded.
        for key, leaver in context.extra.get("leavers", {}).items():
            leavers.setdefault(key, leaver)
        context.extra["exit_conversation_leavers"] = leavers

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        leaver = self._leaver(values, context)
        destination = _code_lookup(Destination, context, "destinations").get(values["destination"])
        if destination is None:
            names = ", ".join(_code_lookup(Destination, context, "destinations").names())
            raise RowProblem(
                f"there is no destination '{values['destination']}' (the destinations are: {names})",
                "destination",
            )
        reasons_lookup = _code_lookup(ExitReason, context, "exit_reasons")
        reasons = []
        for name in values["reasons"]:
            reason = reasons_lookup.get(name)
            if reason is None:
                known = ", ".join(reasons_lookup.names())
                raise RowProblem(f"there is no exit reason '{name}' (the reasons are: {known})", "reasons")
            if reason not in reasons:
                reasons.append(reason)
        conversation = getattr(leaver, "exit_conversation", None) if leaver.pk else None
        adding = conversation is None
        if adding:
            conversation = ExitConversation(leaver=leaver)
        changes = list(assign(conversation, {**field_values(self, values), "destination": destination}))
        if not adding:
            before = {reason.pk for reason in conversation.reasons.all()}
            if before != {reason.pk for reason in reasons}:
                changes.append("reasons: " + ", ".join(reason.name for reason in reasons))
        if adding or changes:
            services.save_exit_conversation(
                conversation=conversation, reasons=reasons, user=context.user, imported=True
            )
            leaver.exit_conversation = conversation
        return outcome(adding, changes)

    def _leaver(self, values: dict[str, Any], context: Context) -> Leaver:
        """Return the leaver the row names, or raise a problem saying why there is none."""
        reference = values["staff_reference"]
        context.find(context.workers, reference, kind="workers", what="worker", column="staff_reference")
        leaver = context.extra["exit_conversation_leavers"].get(self.identity(values))
        if leaver is not None:
            return leaver
        reference = self.reference(values)
        where = context.failed_at("leavers", reference)
        if where:
            raise RowProblem(
                f"leaver {reference} is not imported because its own row has problems ({where})",
                "leaving_date",
            )
        raise RowProblem(
            f"there is no leaver {reference} (the worker is not recorded as leaving on that day, here or "
            "in a leavers file of this import)",
            "leaving_date",
        )
