"""Reads of generated documents and batches, always scoped to one body and re-checked against the
object: a document is served only to someone the owning app lets see the object it renders (the
form's `load` goes through that app's selectors), so access follows the object, never the file.
Another body's id is not found (404); a reader of the body without the right role on the object
gets PermissionDenied (403).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from bagalau.cycles import selectors as cycle_selectors
from bagalau.documents import registry
from bagalau.documents.models import BatchJob, GeneratedDocument
from bagalau.orgs.models import Servant, StateBody

# How an object of each form's model names the servant it is about. Forms about many servants at
# once (a protocol, a cycle's register) are not listed: they are not "a servant's documents".
SERVANT_PATHS = {
    "cycles.individualworkplan": "participant__servant",
    "cycles.kpisheet": "participant__servant",
    "ranking.rankinglist": "entries__participant__servant",
    "survey360.survey360": "servant",
    "outcomes.familiarization": "servant",
    "outcomes.refusalact": "familiarization__servant",
    "outcomes.appeal": "servant",
}


def document(user: Any, body: StateBody, document_id: int) -> GeneratedDocument:
    doc = GeneratedDocument.objects.filter(body=body, pk=document_id).select_related("content_type").first()
    if doc is None:
        raise Http404(_("No such document in this state body."))
    registry.get(doc.form).load(user, body, doc.object_id)
    return doc


def documents_of(user: Any, body: StateBody, form_code: str, object_id: int) -> QuerySet[GeneratedDocument]:
    """Every stored rendering of one object in one form, newest first (the reader's access checked)."""
    form = registry.get(form_code)
    form.load(user, body, object_id)
    ctype = ContentType.objects.get_by_natural_key(*form.model.split("."))
    return GeneratedDocument.objects.filter(body=body, content_type=ctype, object_id=object_id, form=form.code)


def batch(user: Any, body: StateBody, job_id: int) -> BatchJob:
    job = BatchJob.objects.filter(body=body, pk=job_id).first()
    if job is None:
        raise Http404(_("No such batch in this state body."))
    cycle_selectors.cycle(user, body, job.cycle_id)
    return job


def batches(user: Any, body: StateBody, cycle_id: int) -> QuerySet[BatchJob]:
    cycle = cycle_selectors.cycle(user, body, cycle_id)
    return BatchJob.objects.filter(body=body, cycle=cycle).defer("items", "results").order_by("-created_at", "-pk")


def documents_for_servant(actor: Any, body: StateBody, servant: Servant) -> list[GeneratedDocument]:
    """The stored documents about `servant` that `actor` may see, newest first.

    Each object is checked once through its form's `load` (the owning app's selectors), so the
    queries grow with the servant's objects (a handful per cycle), not with the stored files."""
    if servant.body_id != body.pk:
        return []
    wanted = Q(pk__in=[])
    for model, path in SERVANT_PATHS.items():
        ids = list(apps.get_model(model).objects.filter(body=body, **{path: servant}).values_list("pk", flat=True))
        if ids:
            ctype = ContentType.objects.get_by_natural_key(*model.split("."))
            wanted |= Q(content_type=ctype, object_id__in=ids)
    docs = list(GeneratedDocument.objects.filter(body=body).filter(wanted)
                .order_by("-generated_at", "form", "language", "format", "-pk"))
    allowed: dict[tuple[str, int], bool] = {}
    out = []
    for doc in docs:
        key = (doc.form, doc.object_id)
        if key not in allowed:
            try:
                registry.get(doc.form).load(actor, body, doc.object_id)
                allowed[key] = True
            except (PermissionDenied, Http404, ValidationError):
                allowed[key] = False
        if allowed[key]:
            out.append(doc)
    return out
