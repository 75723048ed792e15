"""DOCX through python-docx, built from the same data dict as the PDF: the annex line, the body,
the title, the facts, each section (a table, paragraphs or a chart as a table of bars), the
summary, the legal basis and clauses, the signatures and the footer, on A4 with the orientation of
the PDF.

The text is set in Times New Roman (the convention of official documents; LibreOffice maps it to
the metric-compatible Liberation Serif, which carries every Kazakh letter). Determinism: the core
properties take the object's time and python-docx's ZIP entries are rewritten with a fixed
timestamp, so the same data gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from bagalau.documents.registry import Form

FONT = "Times New Roman"
LANDSCAPE_FORMS = ("iwp", "kpi_sheet", "protocol", "register")
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _font(style: Any, size: float) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _page(doc: Any, landscape: bool) -> None:
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(25), Mm(15)


def _table(doc: Any, columns: list[str], rows: list[list[str]], *, header: bool = True) -> None:
    table = doc.add_table(rows=0, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if header:
        cells = table.add_row().cells
        for cell, title in zip(cells, columns, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(title))
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.text = str(value)


def _pairs(doc: Any, pairs: list[list[str]], *, bold: bool = False) -> None:
    for k, v in pairs:
        p = doc.add_paragraph()
        p.add_run(f"{k}: ").bold = True
        run = p.add_run(str(v))
        run.bold = bold


def _chart(doc: Any, chart: list[dict[str, Any]]) -> None:
    rows = [[b["label"], "█" * max(1, round(b["width"] / 4)), str(b["value"])] for b in chart]
    _table(doc, ["", "", ""], rows, header=False)


def build_document(form: Form, data: dict[str, Any]) -> Any:
    labels = data["labels"]
    doc = Document()
    _font(doc.styles["Normal"], 11)
    for name in ("Title", "Heading 1", "Heading 2"):
        _font(doc.styles[name], 13 if name != "Heading 2" else 11.5)
        doc.styles[name].font.color.rgb = None
    _page(doc, form.code in LANDSCAPE_FORMS)
    if data.get("annex"):
        p = doc.add_paragraph(data["annex"])
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(data["body_name"]).bold = True
    title = doc.add_heading(data["title"], level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _pairs(doc, data["facts"])
    for s in data["sections"]:
        doc.add_heading(s["heading"], level=2)
        if s.get("columns"):
            _table(doc, s["columns"], s["rows"])
        for para in s.get("paragraphs", []):
            doc.add_paragraph(para)
        if s.get("chart"):
            _chart(doc, s["chart"])
    if data.get("summary"):
        doc.add_paragraph()
        _pairs(doc, data["summary"], bold=True)
    legal = data["legal"]
    if legal.get("methodology"):
        doc.add_heading(labels["legal_basis"], level=2)
        doc.add_paragraph(f"{legal['methodology']}: {legal['reference']}. {labels['version_id']}: {legal['version']}")
    if data.get("clauses"):
        doc.add_paragraph(f"{labels['clauses']}:")
        for c in data["clauses"]:
            line = c["id"] + (f" — {c['title']}" if c["title"] else "")
            if not c["verified"]:
                line += f" ({labels['unverified']})"
            doc.add_paragraph(line, style="List Bullet")
    if data["signatures"]["rows"]:
        doc.add_heading(labels["signatures"], level=2)
        _table(doc, data["signatures"]["columns"],
               [[r["role"], r["name"], " ".join(x for x in (r["signed_at"], r["status"]) if x)]
                for r in data["signatures"]["rows"]])
    if form.docx_hook is not None:
        form.docx_hook(doc, data)
    footer = data["footer"]
    for line in (footer["signed_content"], footer["generated"], footer["colophon"]):
        if line:
            para = doc.add_paragraph()
            run = para.add_run(line)
            run.font.size = Pt(8)
    _core(doc, data)
    return doc


def _core(doc: Any, data: dict[str, Any]) -> None:
    created = dt.datetime.fromisoformat(data["created"]).astimezone(dt.UTC).replace(tzinfo=None)
    core = doc.core_properties
    core.author = core.last_modified_by = data["body_name"][:255]
    core.title = data["title"][:255]
    core.language = data["lang"]
    core.created = core.modified = created
    core.last_printed = created
    core.revision = 1
    core.comments = ""


def _stable_zip(raw: bytes) -> bytes:
    """The same archive with every entry stamped FIXED_ZIP_TIME (python-docx stamps "now")."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def render(form: Form, data: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    build_document(form, data).save(buffer)
    return _stable_zip(buffer.getvalue())
