"""Tasks the worker-process tests queue (a worker imports them by their dotted path)."""

from __future__ import annotations

import os
import signal

from jobs.models import Job
from jobs.queue import task
from jobs.work import Outcome, Progress, run_job


def _killed(job: Job, progress: Progress) -> Outcome:
    progress(50, "Half way")
    os.kill(os.getpid(), signal.SIGKILL)  # the worker killed mid-way (kill -9, a crash, a restart)
    raise AssertionError("not reached")


@task()
def killed_mid_way(job_id: str) -> None:
    """Run a job whose worker process is killed half way through it."""
    run_job(job_id, _killed)
