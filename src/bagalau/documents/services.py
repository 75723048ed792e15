"""Generating official documents and a cycle's batch of them.

`generate` is the only way a document is stored: it checks that the caller may see the object
(through the owning app's selectors, via the form's `load`), builds the form's data in the
requested language, and stores the rendered file under its SHA-256 with an audit event, in one
transaction. It is idempotent: the same object, form, language, format and source data give the
same row (a unique constraint settles races between two requests or two workers).

Regeneration (`regenerate=True`) renders again and compares: the same bytes confirm the stored
file; other bytes replace it only while the document is unsigned. A signed document that would
render differently is refused (`SignedDocumentChanged`) and keeps its stored file.

A batch (`start_batch`) fixes the list of items of a cycle when it is created and enqueues
`tasks.build_batch`; `run_batch` generates the items one by one, each recorded in the job's
`results` in its own transaction, then writes the ZIP. Killed half-way, the job is resumed by
running it again (`resume_batch`, or `manage.py documents_resume` for jobs whose heartbeat went
silent): items already in `results` are skipped and an item whose document was stored but not yet
recorded is found again by its unique key, so every item is generated exactly once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bagalau.audit.services import record_event
from bagalau.commission.access import is_authorized_person
from bagalau.cycles import selectors as cycle_selectors
from bagalau.documents import registry
from bagalau.documents.errors import SignedDocumentChanged
from bagalau.documents.models import BatchJob, BatchState, Format, GeneratedDocument, Language, document_path
from bagalau.documents.render import render
from bagalau.orgs.access import has_role
from bagalau.orgs.models import Role, StateBody

LANGUAGES = tuple(Language.values)
FORMATS = tuple(Format.values)
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def check_choice(value: Any, allowed: Sequence[str], field: str) -> str:
    if value not in allowed:
        raise ValidationError({field: _("%(value)s is not one of: %(allowed)s.")
                               % {"value": value, "allowed": ", ".join(allowed)}})
    return str(value)


def build_data(form: registry.Form, obj: Any, language: str) -> dict[str, Any]:
    # The workflow state labels in a form come from the interface catalog: render them in the form's language.
    with translation.override(language):
        return form.build(obj, language)


def _store(name: str, content: bytes) -> str:
    """Content-addressed: a file with this name already holds these bytes (its name is their hash)."""
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(content))
        return saved
    return name


def generate(actor: Any, body: StateBody, form_code: str, object_id: int, language: str, fmt: str, *,
             regenerate: bool = False) -> GeneratedDocument:
    """The stored document of this object in this form, language and format for its current data."""
    language = check_choice(language, LANGUAGES, "language")
    fmt = check_choice(fmt, FORMATS, "format")
    form = registry.get(form_code)
    obj = form.load(actor, body, object_id)
    data = build_data(form, obj, language)
    source = sha256(canonical(data).encode("utf-8"))
    ctype = ContentType.objects.get_by_natural_key(*form.model.split("."))
    key = {"content_type": ctype, "object_id": obj.pk, "form": form.code, "language": language, "format": fmt,
           "source_sha256": source}
    existing = GeneratedDocument.objects.filter(body=body, **key).first()
    if existing is not None and not regenerate:
        return existing
    content = render(form, data, fmt)
    digest = sha256(content)
    if existing is not None:
        return _regenerated(actor, body, existing, content, digest)
    doc = GeneratedDocument(body=body, **key, methodology_version=data["object"]["methodology_version"],
                            object_state=data["object"]["state"], signed=data["object"]["signed"],
                            sha256=digest, size=len(content), filename=f"{data['filename']}.{fmt}",
                            generated_at=timezone.now(), generated_by=actor if _is_user(actor) else None)
    doc.file.name = _store(document_path(doc, doc.filename), content)
    try:
        with transaction.atomic():
            doc.save(force_insert=True)
            record_event(action="documents.document.generate", obj=doc, actor=actor, role="reader",
                         body_id=body.pk, to_state=data["object"]["state"],
                         payload={"form": form.code, "object_type": form.model, "object_id": obj.pk,
                                  "language": language, "format": fmt, "sha256": digest,
                                  "source_sha256": source, "signed": doc.signed})
    except IntegrityError:
        # Another request or worker stored the same source first: that row is the document.
        return GeneratedDocument.objects.get(body=body, **key)
    return doc


def _regenerated(actor: Any, body: StateBody, doc: GeneratedDocument, content: bytes, digest: str
                 ) -> GeneratedDocument:
    if digest == doc.sha256:
        return doc
    if doc.signed:
        raise SignedDocumentChanged(_(
            "Regenerating this signed document would change its content hash (stored %(stored)s, now %(now)s): "
            "refused; the stored file remains the document of record.") % {"stored": doc.sha256[:12],
                                                                           "now": digest[:12]})
    with transaction.atomic():
        locked = GeneratedDocument.objects.select_for_update().get(pk=doc.pk)
        previous = locked.sha256
        locked.sha256, locked.size = digest, len(content)
        locked.file.name = _store(document_path(locked, locked.filename), content)
        locked.generated_at = timezone.now()
        locked.generated_by = actor if _is_user(actor) else None
        locked.save(update_fields=["sha256", "size", "file", "generated_at", "generated_by"])
        record_event(action="documents.document.regenerate", obj=locked, actor=actor, role="reader",
                     body_id=body.pk, payload={"previous_sha256": previous, "sha256": digest})
    return locked


def _is_user(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


# -- batches ---------------------------------------------------------------------------------------

def batch_items(cycle: Any, languages: Sequence[str], formats: Sequence[str]) -> list[dict[str, Any]]:
    items = []
    for form in registry.all_forms():
        for object_id in form.of_cycle(cycle):
            for language in languages:
                for fmt in formats:
                    items.append({"form": form.code, "object_id": object_id, "language": language, "format": fmt})
    return items


# Starting or resuming a batch writes (jobs, stored files, audit events): the auditor, who reads
# every cycle of the body, is a read-only role and may not.
BATCH_RUNNERS = (Role.HR, Role.AUTHORIZED_PERSON, Role.ADMIN)


def require_batch_runner(actor: Any, body: StateBody) -> None:
    if has_role(actor, body, BATCH_RUNNERS) or is_authorized_person(actor, body):
        return
    raise PermissionDenied(_("Not allowed: a batch of documents is started by HR or the authorized person; "
                             "the auditor's access is read-only."))


def start_batch(actor: Any, body: StateBody, cycle_id: int, *, languages: Sequence[str] = LANGUAGES,
                formats: Sequence[str] = FORMATS) -> BatchJob:
    """A job rendering every document of the cycle; it runs in the background (tasks.build_batch)."""
    cycle = cycle_selectors.cycle(actor, body, cycle_id)  # the cycle's readers: HR, authorized person, auditor
    require_batch_runner(actor, body)
    languages = [check_choice(x, LANGUAGES, "languages") for x in dict.fromkeys(languages)]
    formats = [check_choice(x, FORMATS, "formats") for x in dict.fromkeys(formats)]
    if not languages or not formats:
        raise ValidationError({"languages" if not languages else "formats": _("Choose at least one.")})
    items = batch_items(cycle, languages, formats)
    with transaction.atomic():
        job = BatchJob.objects.create(body=body, cycle=cycle, languages=languages, formats=formats, items=items,
                                      total=len(items), requested_by=actor, created_at=timezone.now())
        record_event(action="documents.batch.start", obj=job, actor=actor, role="reader", body_id=body.pk,
                     to_state=job.state, payload={"cycle": cycle.pk, "items": len(items), "languages": languages,
                                                  "formats": formats})
        transaction.on_commit(partial(_enqueue, job.pk), robust=True)
    return job


def _enqueue(job_id: int) -> None:
    from bagalau.documents.tasks import build_batch

    build_batch.enqueue(job_id)


def resume_batch(actor: Any, body: StateBody, job_id: int) -> BatchJob:
    """Enqueue an unfinished job again (a worker died); finished items are not redone."""
    job = BatchJob.objects.filter(body=body, pk=job_id).first()
    if job is None:
        raise Http404(_("No such batch in this state body."))
    cycle_selectors.cycle(actor, body, job.cycle_id)
    require_batch_runner(actor, body)
    if job.state == BatchState.DONE:
        return job
    with transaction.atomic():
        record_event(action="documents.batch.resume", obj=job, actor=actor, role="reader", body_id=body.pk,
                     from_state=job.state, to_state=job.state, payload={"done": job.done, "total": job.total})
        transaction.on_commit(partial(_enqueue, job.pk), robust=True)
    return job


def stale_batches(*, silent_for: dt.timedelta, now: dt.datetime | None = None) -> list[int]:
    """Unfinished jobs with no heartbeat for `silent_for`: their worker is gone."""
    limit = (now or timezone.now()) - silent_for
    jobs = BatchJob.objects.filter(state__in=[BatchState.QUEUED, BatchState.RUNNING]).order_by("pk")
    return [j.pk for j in jobs if (j.heartbeat_at or j.created_at) < limit]


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.BAGALAU_DOCUMENT_BATCH_STALE_SECONDS)


def resume_stale_batches(now: dt.datetime) -> int:
    """What the periodic sweep runs: enqueue again every unfinished job silent for longer than
    BAGALAU_DOCUMENT_BATCH_STALE_SECONDS, audited like a manual resume with the system as actor.
    The heartbeat is moved to `now`, so the next passes leave the job to the new task until it
    has been silent that long again. Returns how many jobs were resumed."""
    resumed = 0
    for job_id in stale_batches(silent_for=stale_after(), now=now):
        with transaction.atomic():
            job = BatchJob.objects.select_for_update().get(pk=job_id)
            silent_since = job.heartbeat_at or job.created_at
            if job.state not in (BatchState.QUEUED, BatchState.RUNNING) or silent_since >= now - stale_after():
                continue  # finished or heard from since the look-up
            job.heartbeat_at = now
            job.save(update_fields=["heartbeat_at"])
            record_event(action="documents.batch.resume", obj=job, actor=None, role="system", body_id=job.body_id,
                         from_state=job.state, to_state=job.state,
                         payload={"done": job.done, "total": job.total, "silent_since": silent_since.isoformat()})
            transaction.on_commit(partial(_enqueue, job.pk), robust=True)
        resumed += 1
    return resumed


def _beat(job_id: int, **changes: Any) -> BatchJob:
    with transaction.atomic():
        job = BatchJob.objects.select_for_update().get(pk=job_id)
        for k, v in changes.items():
            setattr(job, k, v)
        job.heartbeat_at = timezone.now()
        job.save()
        return job


def run_batch(job_id: int) -> BatchJob:
    """Generate what is left of the job, then its ZIP. Safe to run again at any point."""
    job = BatchJob.objects.select_related("body", "requested_by").get(pk=job_id)
    if job.state == BatchState.DONE:
        return job
    job = _beat(job_id, state=BatchState.RUNNING, attempts=job.attempts + 1, error="")
    actor, body = job.requested_by, job.body
    try:
        for index, item in enumerate(job.items):
            if str(index) in job.results:
                continue
            doc = generate(actor, body, item["form"], item["object_id"], item["language"], item["format"])
            with transaction.atomic():
                locked = BatchJob.objects.select_for_update().get(pk=job_id)
                locked.results = {**locked.results, str(index): doc.pk}
                locked.done = len(locked.results)
                locked.heartbeat_at = timezone.now()
                locked.save(update_fields=["results", "done", "heartbeat_at"])
            job = locked
        return _finish(job)
    except (PermissionDenied, Http404, ValidationError) as exc:
        message = " ".join(getattr(exc, "messages", [str(exc)]))
        with transaction.atomic():
            failed = BatchJob.objects.select_for_update().get(pk=job_id)
            failed.state, failed.error, failed.finished_at = BatchState.FAILED, message, timezone.now()
            failed.save(update_fields=["state", "error", "finished_at"])
            record_event(action="documents.batch.fail", obj=failed, actor=actor, role="reader", body_id=body.pk,
                         from_state=BatchState.RUNNING, to_state=BatchState.FAILED, payload={"error": message})
        return failed


def zip_bytes(docs: list[GeneratedDocument]) -> bytes:
    """A deterministic archive: entries in the job's order, fixed timestamps."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for doc in docs:
            info = zipfile.ZipInfo(f"{doc.language}/{doc.filename}", date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with doc.file.open("rb") as fh:
                archive.writestr(info, fh.read())
    return out.getvalue()


def _finish(job: BatchJob) -> BatchJob:
    by_id = GeneratedDocument.objects.in_bulk([job.results[str(i)] for i in range(len(job.items))])
    docs = [by_id[job.results[str(i)]] for i in range(len(job.items))]
    content = zip_bytes(docs)
    digest = sha256(content)
    with transaction.atomic():
        locked = BatchJob.objects.select_for_update().get(pk=job.pk)
        if locked.state == BatchState.DONE:
            return locked
        locked.sha256, locked.size = digest, len(content)
        locked.file.name = _store(f"documents/{locked.body_id}/batches/{locked.pk}-{digest}.zip", content)
        locked.state, locked.finished_at, locked.heartbeat_at = BatchState.DONE, timezone.now(), timezone.now()
        locked.save(update_fields=["sha256", "size", "file", "state", "finished_at", "heartbeat_at"])
        record_event(action="documents.batch.done", obj=locked, actor=None, role="system", body_id=locked.body_id,
                     from_state=BatchState.RUNNING, to_state=BatchState.DONE,
                     payload={"sha256": digest, "items": len(docs)})
    return locked
