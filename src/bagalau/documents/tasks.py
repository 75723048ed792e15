"""Background task: render a cycle's batch of documents (services.run_batch). The job row is the
state: a task that is lost or killed is simply run again (`manage.py documents_resume`), and
finished items are skipped."""

from __future__ import annotations

from django.tasks import task

from bagalau.documents import services


@task()
def build_batch(job_id: int) -> str:
    """Returns the job's state afterwards (stored as the task result)."""
    return str(services.run_batch(job_id).state)
