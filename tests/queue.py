"""The real task queue in a test: the ``queue`` fixture.

Tests that are not about the queue run tasks as they are queued (the immediate backend,
``config.settings.test``). A test that takes the ``queue`` fixture gets the production
backend instead (``QUEUE_TASKS``: the database's, or Redis's when REDIS_URL is set), so a
task waits in the queue until ``queue.run()`` runs its worker, here in the test's process:
django-tasks-db's own ``Worker`` (batch mode: every task waiting, then stop) or RQ's
``SimpleWorker`` in burst mode (``jobs.rq_worker``). ``run()`` first runs what the test's transaction would do
on commit (a job's task is queued once the job is saved), as many rounds as the tasks
queue more (an export's email).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection

REDIS = bool(getattr(django_settings, "REDIS_URL", ""))


class Queue:
    """The task queue of one test, and its worker."""

    def __init__(self) -> None:
        self.ran = 0

    def commit(self) -> int:
        """Run the callbacks the test's transaction holds for its commit; return how many ran."""
        count = 0
        while connection.run_on_commit:
            pending = list(connection.run_on_commit)
            connection.run_on_commit.clear()
            for _, callback, _robust in pending:
                callback()
                count += 1
        return count

    def waiting(self) -> int:
        """Return how many tasks wait in the queue."""
        if REDIS:
            import django_rq

            return django_rq.get_queue("default").count
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.ready().count()

    def finished(self) -> int:
        """Return how many records of finished tasks the queue keeps (Redis: its own count)."""
        if REDIS:
            import django_rq
            from rq.registry import FinishedJobRegistry

            return FinishedJobRegistry(queue=django_rq.get_queue("default")).count
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.finished().count()

    def drop(self) -> None:
        """Forget every task waiting, as a queue lost with its server would."""
        if REDIS:
            import django_rq

            django_rq.get_queue("default").empty()
            return
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()

    def run(self) -> int:
        """Commit, then run every task waiting with the real worker, until none is left;
        return how many ran."""
        before = self.ran
        while self.commit() or self.waiting():
            self.ran += self._work()
        return self.ran - before

    def _work(self) -> int:
        if REDIS:
            import django_rq
            from django_tasks_rq import Job

            from jobs.rq_worker import InProcessBatchWorker

            queue = django_rq.get_queue("default", job_class=Job)
            count = queue.count
            InProcessBatchWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
            return count
        from django_tasks_db.management.commands.db_worker import Worker
        from django_tasks_db.models import DBTaskResult

        done = DBTaskResult.objects.exclude(status="READY").count()
        Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()
        return DBTaskResult.objects.exclude(status="READY").count() - done


@pytest.fixture
def queue(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Queue:
    """Queue tasks on the production backend and run them with its worker on ``queue.run()``."""
    settings.TASKS = settings.QUEUE_TASKS
    if REDIS:
        import django_rq

        django_rq.get_connection("default").flushdb()
    else:
        # The worker checks its database connection between tasks, as a request would; in a
        # test that connection holds the test's transaction, which must stay open.
        monkeypatch.setattr(
            "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
        )
    return Queue()
