"""The job's own task: telling its owner by email that it finished (or could not)."""

from __future__ import annotations

from django.utils import timezone

from jobs.models import Job, JobKind, JobStatus
from jobs.queue import task
from notices.email import link, send_notice
from notices.kinds import Kind


@task()
def email_job_outcome(job_id: str) -> bool:
    """Email the owner of job ``job_id`` how it ended, once; return whether an email went.

    The email names the job (a report and a format, or the files imported, which the owner
    chose) and links to its page: the file itself stays in the product."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or not job.finished:
        return False
    what = "export" if job.kind == JobKind.EXPORT else "import"
    if job.status == JobStatus.DONE:
        subject = f"Your {what} is ready" if job.kind == JobKind.EXPORT else f"Your {what} has finished"
    else:
        subject = f"Your {what} did not finish"
    sent = send_notice(
        kind=Kind.JOBS,
        key=f"job:{job.pk}",
        user=job.owner,
        subject=subject,
        template="jobs/email/outcome.txt",
        context={"job": job, "url": link(job.get_absolute_url()), "done": job.status == JobStatus.DONE},
    )
    Job.objects.filter(pk=job.pk, notified_at__isnull=True).update(notified_at=timezone.now())
    return sent
