"""The evidence upload's checks against hostile files (the service and API tests cover the allowed
types one by one): whatever the bytes and the name, `check_upload` either accepts a file whose
content is an allowed type *and* whose name says that type, or refuses it with an error on the
field; never another exception. Size: the limit is accepted, one byte more is refused unread."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bagalau.cycles.evidence import ALLOWED, check_upload, sniff

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 16


def _zip(names: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n in names:
            z.writestr(n, "<x/>")
    return out.getvalue()


DOCX = _zip(["[Content_Types].xml", "word/document.xml"])
HOSTILE_CONTENT = {
    "windows executable": b"MZ\x90\x00" + b"\x00" * 60,
    "html page": b"<!DOCTYPE html><script>alert(1)</script>",
    "svg with script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "zip that is no office file": _zip(["evil.exe"]),
    "office zip without its part": _zip(["[Content_Types].xml"]),
    "truncated zip": DOCX[:30],
    "pdf header inside html": b"<html>%PDF-1.4</html>",
    "empty": b"",
}
NAMES = ["report.pdf", "report.PDF", "report.pdf.exe", "report.exe.pdf", "..\\..\\report.pdf", "../../etc/passwd",
         "report", ".pdf", "отчёт.docx", "photo.jpeg", "photo.png", "a" * 400 + ".pdf", "report.pdf\x00.exe",
         "<script>.pdf"]


@pytest.mark.parametrize("what", sorted(HOSTILE_CONTENT))
@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "photo.png"])
def test_content_that_is_not_an_allowed_type_is_refused_whatever_its_name(what, name):
    with pytest.raises(ValidationError) as info:
        check_upload(name, io.BytesIO(HOSTILE_CONTENT[what]), field="file")
    assert "file" in info.value.message_dict


@pytest.mark.parametrize("data,name", [(PNG, "photo.pdf"), (PDF, "report.png"), (DOCX, "report.pdf"),
                                       (JPG, "photo.docx")])
def test_a_real_file_under_another_type_s_name_is_refused(data, name):
    with pytest.raises(ValidationError) as info:
        check_upload(name, io.BytesIO(data), field="file")
    assert info.value.error_dict["file"][0].code == "type_mismatch"


def test_the_size_limit_is_exact_and_the_rest_is_not_read(settings):
    settings.BAGALAU_EVIDENCE_MAX_BYTES = 64
    body = PDF + b" " * (64 - len(PDF))
    assert check_upload("report.pdf", io.BytesIO(body)).size == 64

    class Endless(io.RawIOBase):
        """A stream that never ends: the check must stop reading at the limit."""
        read_bytes = 0

        def read(self, n: int = -1) -> bytes:
            assert n != -1, "read without a limit"
            self.read_bytes += n
            return PDF[:n] if n <= len(PDF) else PDF + b" " * (n - len(PDF))

    stream = Endless()
    with pytest.raises(ValidationError) as info:
        check_upload("report.pdf", stream)
    assert info.value.error_dict["file"][0].code == "too_large"
    assert stream.read_bytes == 65


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(head=st.sampled_from([b"", PDF, PNG, JPG, DOCX, b"PK\x03\x04", b"MZ"]), tail=st.binary(max_size=300),
       name=st.one_of(st.sampled_from(NAMES), st.text(max_size=40)))
def test_any_bytes_and_name_are_accepted_consistently_or_refused_on_the_field(head, tail, name):
    data = head + tail
    try:
        checked = check_upload(name, io.BytesIO(data), field="file")
    except ValidationError as exc:
        assert set(exc.message_dict) == {"file"}
        return
    assert checked.kind == sniff(data)
    assert checked.extension in ALLOWED[checked.kind][1]
    assert "/" not in checked.name and "\\" not in checked.name and len(checked.name) <= 255
