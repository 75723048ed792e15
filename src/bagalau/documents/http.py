"""Serving stored files to a reader already checked by the selectors: as attachments, with their
SHA-256 in a header so a recipient can compare it with the register."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from bagalau.documents.models import BatchJob, BatchState, GeneratedDocument
from bagalau.documents.render import CONTENT_TYPES


def serve(doc: GeneratedDocument) -> FileResponse:
    response = FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.filename,
                            content_type=CONTENT_TYPES[doc.format])
    response["X-Content-SHA256"] = doc.sha256
    return response


def serve_zip(job: BatchJob) -> FileResponse:
    if job.state != BatchState.DONE or not job.file:
        raise Http404(_("The batch is not finished yet."))
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=f"cycle-{job.cycle_id}-{job.pk}.zip",
                            content_type="application/zip")
    response["X-Content-SHA256"] = job.sha256
    return response
