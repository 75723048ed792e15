"""Official documents: the forms, generating a form of an object (PDF or DOCX, kk or ru), reading
and downloading stored documents, and a cycle's batch rendered in the background as one ZIP.

Conventions (those of the other routers): the body is the caller's current one
(`context.body_of`); an object of another body is 404; a caller who may not see the object (the
owning app's access rules) gets 403, for generating and for downloading alike. Generating is
idempotent: the same object, form, language, format and data answer the same stored document
(`sha256` of its bytes, `source_sha256` of its data). `regenerate: true` renders again and
compares; for a signed document a different result is refused with 409 and the stored file stays.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Field, Router, Schema
from pydantic import ConfigDict, StrictBool, StrictInt

from bagalau.api.context import body_of
from bagalau.api.errors import ERRORS
from bagalau.documents import registry, selectors, services
from bagalau.documents.errors import SignedDocumentChanged
from bagalau.documents.http import serve, serve_zip
from bagalau.documents.models import BatchJob, GeneratedDocument
from bagalau.documents.texts import text

router = Router(tags=["documents"])

Lang = Literal["kk", "ru"]
Fmt = Literal["pdf", "docx"]


class FormOut(Schema):
    code: str
    object_type: str = Field(description="The app_label.model of the object the form renders.")
    title_kk: str
    title_ru: str


class GenerateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    form: str = Field(max_length=40)
    object_id: Annotated[StrictInt, Field(ge=1)]
    language: Lang
    format: Fmt
    regenerate: StrictBool = False


class DocumentOut(Schema):
    id: int
    form: str
    object_type: str
    object_id: int
    language: str
    format: str
    methodology_version: str
    object_state: str
    signed: bool
    sha256: str
    source_sha256: str
    size: int
    filename: str
    generated_at: dt.datetime
    download_url: str


def _doc(d: GeneratedDocument) -> DocumentOut:
    return DocumentOut(id=d.pk, form=d.form, object_type=f"{d.content_type.app_label}.{d.content_type.model}",
                       object_id=d.object_id, language=d.language, format=d.format,
                       methodology_version=d.methodology_version, object_state=d.object_state, signed=d.signed,
                       sha256=d.sha256, source_sha256=d.source_sha256, size=d.size, filename=d.filename,
                       generated_at=d.generated_at, download_url=f"/api/documents/{d.pk}/file")


class BatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    cycle_id: Annotated[StrictInt, Field(ge=1)]
    languages: list[Lang] = Field(default_factory=lambda: list[Lang](["kk", "ru"]), min_length=1)
    formats: list[Fmt] = Field(default_factory=lambda: list[Fmt](["pdf", "docx"]), min_length=1)


class BatchOut(Schema):
    id: int
    cycle_id: int
    state: str
    total: int
    done: int
    percent: int
    error: str
    sha256: str
    size: int
    download_url: str | None


def _batch(j: BatchJob) -> BatchOut:
    return BatchOut(id=j.pk, cycle_id=j.cycle_id, state=j.state, total=j.total, done=j.done, percent=j.percent,
                    error=j.error, sha256=j.sha256, size=j.size,
                    download_url=f"/api/documents/batches/{j.pk}/zip" if j.state == "done" else None)


@router.get("/forms", response={200: list[FormOut], **ERRORS})
def forms(request: HttpRequest) -> list[FormOut]:
    body_of(request)
    return [FormOut(code=f.code, object_type=f.model, title_kk=text(f.title_key, "kk"),
                    title_ru=text(f.title_key, "ru")) for f in registry.all_forms()]


@router.post("/generate", response={200: DocumentOut, **ERRORS})
def generate(request: HttpRequest, payload: GenerateIn) -> DocumentOut | tuple[int, dict[str, object]]:
    try:
        doc = services.generate(request.user, body_of(request), payload.form, payload.object_id, payload.language,
                                payload.format, regenerate=payload.regenerate)
    except SignedDocumentChanged as exc:
        message = " ".join(exc.messages)
        return 409, {"detail": message, "errors": [{"field": "regenerate", "message": message}]}
    return _doc(doc)


@router.get("/objects/{form}/{int:object_id}", response={200: list[DocumentOut], **ERRORS})
def of_object(request: HttpRequest, form: str, object_id: int) -> list[DocumentOut]:
    return [_doc(d) for d in selectors.documents_of(request.user, body_of(request), form, object_id)
            .select_related("content_type")]


@router.get("/{int:document_id}", response={200: DocumentOut, **ERRORS})
def document(request: HttpRequest, document_id: int) -> DocumentOut:
    return _doc(selectors.document(request.user, body_of(request), document_id))


@router.get("/{int:document_id}/file", response={200: None, **ERRORS})
def document_file(request: HttpRequest, document_id: int) -> HttpResponseBase:
    return serve(selectors.document(request.user, body_of(request), document_id))


@router.post("/batches", response={202: BatchOut, **ERRORS})
def start_batch(request: HttpRequest, payload: BatchIn) -> tuple[int, BatchOut]:
    job = services.start_batch(request.user, body_of(request), payload.cycle_id, languages=payload.languages,
                               formats=payload.formats)
    job.refresh_from_db()
    return 202, _batch(job)


@router.get("/batches/{int:job_id}", response={200: BatchOut, **ERRORS})
def batch(request: HttpRequest, job_id: int) -> BatchOut:
    return _batch(selectors.batch(request.user, body_of(request), job_id))


@router.post("/batches/{int:job_id}/resume", response={202: BatchOut, **ERRORS})
def resume(request: HttpRequest, job_id: int) -> tuple[int, BatchOut]:
    job = services.resume_batch(request.user, body_of(request), job_id)
    job.refresh_from_db()
    return 202, _batch(job)


@router.get("/batches/{int:job_id}/zip", response={200: None, **ERRORS})
def batch_zip(request: HttpRequest, job_id: int) -> HttpResponseBase:
    job = selectors.batch(request.user, body_of(request), job_id)
    return serve_zip(job)
