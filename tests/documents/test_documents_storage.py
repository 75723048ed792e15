"""Storage, determinism, access and the batch.

* Two renders of the same data give the same bytes (PDF and DOCX), so a signed document
  regenerated from the same source has the same SHA-256; a render that would differ is refused for
  a signed document and the stored file stays.
* Documents are served only to those who may see the object: the owner and HR get the plan, a
  plain servant gets 403 for someone else's sheet, HR of another body gets 404.
* The demo cycle's whole set renders in one batch job into one ZIP; running the job again, or
  after a worker died half-way, stores each item exactly once; a denied user gets 403.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied

from bagalau.audit.models import AuditEvent
from bagalau.documents import registry, services
from bagalau.documents.errors import SignedDocumentChanged
from bagalau.documents.models import BatchJob, GeneratedDocument
from bagalau.documents.render import pdf as pdf_renderer
from tests.documents.walk import user


def test_renders_are_byte_identical_and_a_signed_document_keeps_its_hash(demo_cycle, monkeypatch):
    body, plan = demo_cycle.body, demo_cycle.plans["manager"]
    form = registry.get("iwp")
    data = services.build_data(form, plan, "kk")
    for fmt in ("pdf", "docx"):
        first, second = (services.render(form, data, fmt) for _ in range(2))
        assert services.sha256(first) == services.sha256(second)
    hr = user("hr")
    doc = services.generate(hr, body, "iwp", plan.pk, "kk", "pdf")
    assert doc.signed and AuditEvent.objects.filter(action="documents.document.generate",
                                                    object_id=str(doc.pk)).count() == 1
    again = services.generate(hr, body, "iwp", plan.pk, "kk", "pdf", regenerate=True)
    assert (again.pk, again.sha256) == (doc.pk, doc.sha256)
    assert GeneratedDocument.objects.filter(form="iwp", object_id=plan.pk).count() == 1

    # A renderer that no longer reproduces the file (a font or library change): refused, file kept.
    real = pdf_renderer.render
    monkeypatch.setattr(pdf_renderer, "render", lambda f, d: real(f, d) + b"\n% changed\n")
    with pytest.raises(SignedDocumentChanged):
        services.generate(hr, body, "iwp", plan.pk, "kk", "pdf", regenerate=True)
    doc.refresh_from_db()
    assert doc.sha256 == services.sha256(doc.file.read())


def test_documents_follow_the_objects_access(demo_cycle, client):
    body = demo_cycle.body
    plan, sheet = demo_cycle.plans["manager"], demo_cycle.sheets["commission2"]
    # The servant himself downloads his plan through the page's button.
    client.force_login(user("manager"))
    response = client.get(f"/documents/iwp/{plan.pk}/kk.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    stored = GeneratedDocument.objects.get(form="iwp", object_id=plan.pk, language="kk", format="pdf")
    assert response["X-Content-SHA256"] == stored.sha256
    # A plain servant of the body: someone else's sheet and plan are 403, page and API alike.
    client.force_login(user("servant"))
    assert client.get(f"/documents/kpi_sheet/{sheet.pk}/ru.docx").status_code == 403
    assert client.get(f"/documents/files/{stored.pk}/").status_code == 403
    answer = client.post("/api/documents/generate", {"form": "kpi_sheet", "object_id": sheet.pk, "language": "ru",
                                                      "format": "pdf"}, content_type="application/json")
    assert answer.status_code == 403
    assert client.get(f"/api/documents/{stored.pk}/file").status_code == 403
    assert client.get(f"/documents/register/{demo_cycle.cycle.pk}/kk.pdf").status_code == 403
    # HR of the other demo body: nothing of this body exists for him.
    client.force_login(user("hr2"))
    assert client.get(f"/api/documents/{stored.pk}").status_code == 404
    assert client.get(f"/documents/iwp/{plan.pk}/kk.pdf").status_code == 404
    with pytest.raises(PermissionDenied):
        services.generate(user("servant"), body, "protocol", demo_cycle.protocol.pk, "kk", "pdf")
    # Bad input names the field.
    client.force_login(user("hr"))
    bad = client.post("/api/documents/generate", {"form": "iwp", "object_id": plan.pk, "language": "en",
                                                   "format": "pdf"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "language"


def _bytes(job: BatchJob) -> bytes:
    with job.file.open("rb") as fh:
        return fh.read()


def _entries(job: BatchJob) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(_bytes(job))) as archive:
        return archive.namelist()


def test_the_cycle_renders_in_one_batch_job(demo_cycle, client, django_capture_on_commit_callbacks):
    cycle, body = demo_cycle.cycle, demo_cycle.body
    client.force_login(user("hr"))
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/documents/cycles/{cycle.pk}/", {"languages": ["kk", "ru"], "formats": ["pdf"]})
    assert started.status_code == 302
    job = BatchJob.objects.get(cycle=cycle)
    # 3 plans, 3 sheets, 1 protocol, 3 familiarization sheets, 1 register; in kk and ru.
    assert (job.state, job.done, job.total) == ("done", 22, 22)
    names = _entries(job)
    assert len(names) == 22 and f"kk/register-{cycle.pk}-kk.pdf" in names
    assert job.sha256 == services.sha256(_bytes(job))
    page = client.get(f"/documents/cycles/{cycle.pk}/")
    assert f'data-batch="{job.pk}" data-state="done"' in page.content.decode()
    assert client.get(f"/documents/batches/{job.pk}/zip/")["X-Content-SHA256"] == job.sha256
    api = client.get(f"/api/documents/batches/{job.pk}").json()
    assert (api["state"], api["done"], api["percent"]) == ("done", 22, 100)

    # A worker killed after three items: the job resumes and does each remaining item once.
    stored = GeneratedDocument.objects.count()
    with django_capture_on_commit_callbacks(execute=False):
        half = services.start_batch(user("hr"), body, cycle.pk, languages=["ru"], formats=["docx"])
    for index, item in enumerate(half.items[:3]):
        doc = services.generate(user("hr"), body, item["form"], item["object_id"], item["language"], item["format"])
        half.results[str(index)] = doc.pk
    half.done, half.state = 3, "running"
    half.save()
    resumed = services.run_batch(half.pk)
    assert (resumed.state, resumed.done, resumed.total, resumed.attempts) == ("done", 11, 11, 1)
    assert GeneratedDocument.objects.count() == stored + 11
    assert len(set(resumed.results.values())) == 11
    assert services.run_batch(half.pk).sha256 == resumed.sha256  # running a finished job changes nothing
    assert GeneratedDocument.objects.count() == stored + 11

    # Denied: a plain servant may not start the cycle's batch nor read it.
    client.force_login(user("servant"))
    assert client.post(f"/documents/cycles/{cycle.pk}/", {"languages": ["kk"]}).status_code == 403
    assert client.get(f"/documents/batches/{job.pk}/zip/").status_code == 403
    denied = client.post("/api/documents/batches", {"cycle_id": cycle.pk}, content_type="application/json")
    assert denied.status_code == 403
