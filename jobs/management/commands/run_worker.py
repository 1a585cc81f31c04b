"""Run the task worker: ``python manage.py run_worker [--batch]``."""

from __future__ import annotations

import signal
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from jobs.queue import uses
from jobs.work import sweep


class Command(BaseCommand):
    help = (
        "Run the worker of the configured task queue: the database's (django-tasks-db's db_worker) "
        "by default, Redis's (rqworker) when REDIS_URL is set. It first marks any job a stopped "
        "worker left unfinished as interrupted, and emails its owner."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run every task waiting, then stop (instead of waiting for more).",
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            default=False,
            help="Restart on code changes (development; the database queue only).",
        )

    def handle(self, *args: Any, batch: bool = False, reload: bool = False, **options: Any) -> None:
        marked = sweep()
        if marked:
            self.stdout.write(
                f"{len(marked)} job{'s' if len(marked) != 1 else ''} left unfinished by a stopped worker "
                "marked as interrupted; their owners will be emailed."
            )
        verbosity = options.get("verbosity", 1)
        # The workers take over Ctrl-C and SIGTERM (to finish the task in hand); give them back
        # when one run in batch returns to its caller (a benchmark, a test).
        handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
        try:
            self._run(batch=batch, reload=reload, verbosity=verbosity)
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)

    def _run(self, *, batch: bool, reload: bool, verbosity: int) -> None:
        if uses("django_tasks_db."):
            call_command(
                "db_worker", batch=batch, reload=reload and not batch, interval=1, verbosity=verbosity
            )
        elif uses("django_tasks_rq."):
            queues = settings.TASKS["default"].get("QUEUES", ["default"])
            # The task library's own job class runs the task functions (``Task.call``).
            extra = {"worker_class": "jobs.rq_worker.BatchWorker"} if batch else {}
            call_command(
                "rqworker",
                *queues,
                burst=batch,
                job_class="django_tasks_rq.Job",
                verbosity=verbosity,
                **extra,
            )
        else:
            raise CommandError(
                f"The task backend ({settings.TASKS['default']['BACKEND']}) runs tasks without a worker."
            )
