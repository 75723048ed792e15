"""PDF through WeasyPrint from the form's HTML template.

Determinism: WeasyPrint takes the document's dates from the HTML `<meta name=dcterms.created>` and
`dcterms.modified` (we give it the object's own time, never "now") and derives the file identifier
from the content, so two renders of the same data are byte-identical (tested)."""

from __future__ import annotations

from typing import Any

import weasyprint
from django.template.loader import render_to_string

from bagalau.documents.fonts import font_face_css
from bagalau.documents.registry import Form


def html(form: Form, data: dict[str, Any]) -> str:
    return render_to_string(form.template, {"d": data, "labels": data["labels"], "font_css": font_face_css()})


def render(form: Form, data: dict[str, Any]) -> bytes:
    document = weasyprint.HTML(string=html(form, data), base_url="/").render()
    return document.write_pdf(pdf_variant=None) or b""
