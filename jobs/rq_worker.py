"""RQ's worker for ``run_worker --batch`` with Redis (REDIS_URL).

RQ's worker listens on a Redis channel for commands (stop a job, say) and, leaving, waits
for that listener for up to a minute (rq 3.0 with redis-py 8). A batch run (``--batch``:
what is waiting, then stop) takes no commands, so it does not listen and leaves at once.
"""

from __future__ import annotations

from rq import SimpleWorker, Worker


class BatchWorker(Worker):
    """RQ's worker (a fresh process for each task), without the command channel."""

    def subscribe(self) -> None:
        """Listen for no commands."""

    def unsubscribe(self) -> None:
        """Nothing to stop listening to."""


class InProcessBatchWorker(SimpleWorker):
    """RQ's worker running each task in the calling process (the tests' queue), without the channel."""

    def subscribe(self) -> None:
        """Listen for no commands."""

    def unsubscribe(self) -> None:
        """Nothing to stop listening to."""
