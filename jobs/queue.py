"""The task queue, through Django's Tasks API.

This is the one module that names the task library: ``django_tasks``, the backport of
Django 6's ``django.tasks``. On Django 6 the import below becomes
``from django.tasks import TaskResultStatus, task, task_backends``, and nothing else in
the product changes. Every app defines its tasks with ``jobs.queue.task``.

Which queue runs them is a setting (``TASKS``): the database backend (django-tasks-db,
the default) or Redis (django-tasks-rq, with ``REDIS_URL``). ``manage.py run_worker``
runs the worker of whichever is configured.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django_tasks import TaskResultStatus, task, task_backends  # Django 6: from django.tasks import ...

__all__ = ["TaskResultStatus", "task", "task_backends", "enqueue_after_commit", "ran_at_once", "uses"]


def enqueue_after_commit(queued: Any, *args: Any) -> None:
    """Queue ``queued`` with ``args`` once the current transaction commits (at once outside one).

    For work on a record just saved: a worker must not look for it before it is there.
    """
    transaction.on_commit(partial(queued.enqueue, *args))


def ran_at_once(result: Any) -> bool:
    """Return whether the task behind ``result`` has already finished (the immediate backend
    runs tasks as they are queued: the tests that are not about the queue use it)."""
    return result.status in {TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED}


def uses(backend_path: str) -> bool:
    """Return whether the default queue is the backend named ``backend_path`` (a dotted path)."""
    backend = task_backends["default"]
    return f"{type(backend).__module__}.{type(backend).__name__}".startswith(backend_path)
