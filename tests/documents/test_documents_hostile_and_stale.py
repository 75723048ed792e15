"""User-entered strings print literally, and a batch whose worker went silent is resumed by the sweep.

* Markup, entities and template syntax typed into a plan's KPIs come out of the PDF (pdftotext)
  and the DOCX (python-docx) as the same characters: HTML-escaped in the PDF's template (so the
  PDF prints them, nothing is interpreted), plain values in the DOCX (no template engine there at
  all), and never evaluated as template source by either.
* The periodic sweep resumes, once, every unfinished batch silent for longer than
  BAGALAU_DOCUMENT_BATCH_STALE_SECONDS, audited with the system as actor; finished and recently
  heard-from jobs are left alone. (The real crash is tests/faults/test_document_batch_worker_killed.py.)
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bagalau.audit.models import AuditEvent
from bagalau.cycles.models import Kpi
from bagalau.documents import services
from bagalau.documents.models import BatchJob, BatchState
from bagalau.documents.render import pdf as pdf_renderer
from bagalau.inbox import sweep
from tests.documents import readback
from tests.documents.walk import user

HOSTILE = {
    "text_kk": "<script>alert(1)</script> Өтініштер",
    "text_ru": "<script>alert(1)</script> Обращения",
    "expected_change": "<b>bold</b> &amp; AT&T",
    "measure": "{{ x }} {{ 7*7 }}",
    "resources_note": "{% raw %} {% now 'Y' %} {# c #}",
}
# Found verbatim, so `{{ 7*7 }}` was not evaluated to 49 nor `{% now %}` to a year.
LITERAL = ["<script>alert(1)</script>", "<b>bold</b> &amp; AT&T", "{{ x }} {{ 7*7 }}",
           "{% raw %} {% now 'Y' %} {# c #}"]


def test_hostile_kpi_strings_print_literally_in_pdf_and_docx(demo_cycle):
    body, hr = demo_cycle.body, user("hr")
    plan = demo_cycle.plans["manager"]
    Kpi.objects.filter(plan=plan, number=1).update(**HOSTILE)
    sheet = demo_cycle.sheets["manager"]
    for form, object_id in (("iwp", plan.pk), ("kpi_sheet", sheet.pk)):
        for lang in ("kk", "ru"):
            spec = services.registry.get(form)
            html = pdf_renderer.html(spec, services.build_data(spec, spec.load(hr, body, object_id), lang))
            assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
            pdf = readback.pdf_text(services.generate(hr, body, form, object_id, lang, "pdf").file.read())
            docx = readback.docx_text(services.generate(hr, body, form, object_id, lang, "docx").file.read())
            wanted = LITERAL if form == "iwp" else LITERAL[:1]  # the sheet shows the KPI wording only
            for text in (pdf, docx):
                missing = [w for w in wanted if readback.flat(w) not in text]
                assert not missing, (form, lang, missing, text[:2000])
                assert "&amp;amp;" not in text and "&lt;" not in text  # escaped once, printed as characters


def test_the_sweep_resumes_a_silent_batch_once_as_the_system(demo_cycle, django_capture_on_commit_callbacks,
                                                              settings):
    settings.BAGALAU_DOCUMENT_BATCH_STALE_SECONDS = 300
    body, cycle, hr = demo_cycle.body, demo_cycle.cycle, user("hr")
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=False):
        silent = services.start_batch(hr, body, cycle.pk, languages=["kk"], formats=["docx"])
        fresh = services.start_batch(hr, body, cycle.pk, languages=["ru"], formats=["docx"])
        finished = services.start_batch(hr, body, cycle.pk, languages=["kk"], formats=["pdf"])
    BatchJob.objects.filter(pk=silent.pk).update(state=BatchState.RUNNING, done=2,
                                                 heartbeat_at=now - dt.timedelta(seconds=301))
    BatchJob.objects.filter(pk=fresh.pk).update(state=BatchState.RUNNING, heartbeat_at=now - dt.timedelta(seconds=299))
    BatchJob.objects.filter(pk=finished.pk).update(state=BatchState.DONE, heartbeat_at=now - dt.timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        summary = sweep.run_sweep(today=timezone.localdate(now), now=now)
    assert summary["document_batches_resumed"] == 1
    resume_callbacks = [c for c in enqueued if getattr(c, "args", None) == (silent.pk,)]
    assert len(resume_callbacks) == 1
    events = AuditEvent.objects.filter(action="documents.batch.resume")
    assert list(events.values_list("object_id", "actor_id", "role")) == [(str(silent.pk), None, "system")]
    assert events.get().payload["done"] == 2
    assert BatchJob.objects.get(pk=silent.pk).heartbeat_at == now

    # A pass before the job has been silent that long again leaves it to the new task.
    assert services.resume_stale_batches(now) == 0
    assert services.resume_stale_batches(now + dt.timedelta(seconds=301)) == 2  # ...then both are stale
