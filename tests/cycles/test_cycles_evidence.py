"""Evidence files: the type is decided by the content (pdf, docx, xlsx, jpg, png), the extension
must agree with it, the size is limited, the SHA-256 is stored, and a refused file leaves nothing
behind: no row, no file, no event, no version bump."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bagalau.audit.models import AuditEvent
from bagalau.cycles import services
from bagalau.cycles.evidence import sniff
from bagalau.cycles.models import EvidenceFile
from tests.cycles import flow

D = dt.date

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def _zip(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in names:
            z.writestr(name, "<xml/>")
    return buf.getvalue()


DOCX = _zip("[Content_Types].xml", "word/document.xml")
XLSX = _zip("[Content_Types].xml", "xl/workbook.xml")


@pytest.fixture
def sheet(org, hr, clock):
    cycle = flow.launch(org, hr, clock)
    plan = flow.approved_plan(org, cycle, "head_d", "head_c", "head_b")
    clock.day = D(2024, 12, 20)
    return flow.filled_sheet(org, plan, "head_c")


def _attach(org, sheet, name, data, who="head_c", number=2):
    return services.attach_evidence(org.user(who), org.body, sheet.pk, number=number, name=name,
                                    stream=io.BytesIO(data), expected_version=sheet.version)


@pytest.mark.parametrize("name, data, kind", [
    ("protocol.pdf", PDF, "pdf"), ("act.docx", DOCX, "docx"), ("table.xlsx", XLSX, "xlsx"),
    ("photo.JPG", JPG, "jpg"), ("photo.jpeg", JPG, "jpg"), ("scan.png", PNG, "png"),
])
def test_allowed_types_are_stored_with_their_hash(org, sheet, media, name, data, kind):
    evidence = _attach(org, sheet, name, data)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest() and evidence.size == len(data)
    assert evidence.extension == kind and evidence.original_name == name
    assert evidence.file.read() == data
    assert (media / evidence.file.name).exists()
    assert flow.fresh(sheet).version == sheet.version + 1
    event = AuditEvent.objects.filter(action="cycles.sheet.edit").latest("id")
    assert event.payload["evidence_added"]["sha256"] == evidence.sha256


def _assert_nothing_written(sheet, media, events):
    assert not EvidenceFile.objects.exists()
    stored = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    assert stored == []
    assert AuditEvent.objects.count() == events
    assert flow.fresh(sheet).version == sheet.version


@pytest.mark.parametrize("name, data, code", [
    ("invoice.pdf", EXE, "not an allowed type"),        # an executable renamed .pdf
    ("scan.pdf", PNG, "content is PNG"),               # a real PNG named .pdf: refused, told what it is
    ("report.docx", _zip("readme.txt"), "not an allowed type"),  # a zip that is no Word document
    ("notes.txt", b"plain text", "not an allowed type"),
    ("table.xlsx", DOCX, "content is DOCX"),
    ("empty.pdf", b"", "empty"),
])
def test_wrong_content_is_refused_and_nothing_written(org, sheet, media, name, data, code):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        _attach(org, sheet, name, data)
    assert code in info.value.message_dict["results-2-file"][0]
    _assert_nothing_written(sheet, media, events)


def test_too_large_is_refused_and_nothing_written(org, sheet, media, settings):
    settings.BAGALAU_EVIDENCE_MAX_BYTES = 1024
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        _attach(org, sheet, "big.pdf", PDF + b"0" * 1024)
    assert "larger than" in info.value.message_dict["results-2-file"][0]
    _assert_nothing_written(sheet, media, events)
    assert _attach(org, sheet, "small.pdf", PDF).size == len(PDF)  # just under the limit passes


def test_only_the_direct_manager_attaches_and_nothing_is_written_otherwise(org, sheet, media):
    events = AuditEvent.objects.count()
    for who in ("head_b", "head_d"):
        with pytest.raises(PermissionDenied):
            _attach(org, sheet, "protocol.pdf", PDF, who=who)
    _assert_nothing_written(sheet, media, events)


def test_unknown_kpi_number_is_refused(org, sheet, media):
    with pytest.raises(ValidationError) as info:
        _attach(org, sheet, "protocol.pdf", PDF, number=7)
    assert "number" in info.value.message_dict


def test_removing_evidence_deletes_the_row_and_the_file_after_commit(org, sheet, media,
                                                                     django_capture_on_commit_callbacks):
    evidence = _attach(org, sheet, "protocol.pdf", PDF)
    path = media / evidence.file.name
    sheet = flow.fresh(sheet)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(org.user("head_c"), org.body, sheet.pk, file_id=evidence.pk,
                                 expected_version=sheet.version)
    assert not EvidenceFile.objects.exists() and not path.exists()


def test_sniff_is_by_content():
    assert [sniff(d) for d in (PDF, PNG, JPG, DOCX, XLSX, EXE, b"PK\x03\x04broken")] == \
        ["pdf", "png", "jpg", "docx", "xlsx", None, None]
