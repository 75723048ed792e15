"""PDF throughput of the KPI evaluation sheet against a one-line WeasyPrint document.

The sheet is the official form (Annex 10) as the documents app prints it: its selector loads the
sheet for the manager, the form's data is built in Kazakh and WeasyPrint renders it. Where that
form is not registered, the sheet's page (`web:sheet`, with the site's stylesheet) is printed
instead and the figures say so. The floor is WeasyPrint's fixed cost for a document of one line.
Both run in this process, one after the other, so they share the CPU and the fonts cache.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable
from typing import Any

from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from bench.probe import Probe

ONE_LINE = "<p>Бағалау парағы</p>"


PAGES = re.compile(r"^Pages:\s+(\d+)\s*$", re.MULTILINE)
STYLESHEET = re.compile(r'<link[^>]+rel="stylesheet"[^>]+href="/static/([^"?]+)[^"]*"[^>]*>')


def _inline_styles(html: str) -> str:
    """The site's stylesheets inlined from the static files on disk: nothing is fetched."""

    def inline(match: re.Match[str]) -> str:
        path = finders.find(match.group(1))
        if not path:
            return ""
        with open(path, encoding="utf-8") as fh:
            return f"<style>{fh.read()}</style>"

    return STYLESHEET.sub(inline, html)


def page_count(raw: bytes) -> int:
    """The pages of a PDF as poppler's `pdfinfo` reads them. WeasyPrint puts the page objects in
    compressed object streams, so scanning the bytes for /Type /Page finds none."""
    done = subprocess.run(["pdfinfo", "-"], input=raw, capture_output=True, check=True, timeout=60)
    match = PAGES.search(done.stdout.decode("utf-8", "replace"))
    if match is None:
        raise ValueError("pdfinfo printed no page count")
    return int(match.group(1))


def _rate(render: Callable[[], bytes], count: int) -> dict[str, Any]:
    """Documents per second of `render` (which returns the PDF). The pages are counted once, on the
    warm-up document, outside the timed loop: the same input prints the same pages."""
    pages = page_count(render())  # also warms fonts and caches
    started = time.perf_counter()
    for _ in range(count):
        render()
    seconds = time.perf_counter() - started
    return {"documents": count, "seconds": seconds, "per_second": count / seconds, "pages": pages}


def measure(probe: Probe, count: int) -> dict[str, Any]:
    from weasyprint import HTML

    def one_line() -> bytes:
        return HTML(string=ONE_LINE).render().write_pdf()

    floor = _rate(one_line, count)
    if not probe.sheet_for_pdf:
        return {"floor": floor, "sheet": None, "ratio": None}
    official = _official_form()
    failed = ""
    if official is not None:
        try:
            measured = _rate(lambda: official(probe), count)
        except Exception as exc:  # a form still being written must not stop the benchmark
            failed = f"{type(exc).__name__}: {exc}"[:300]
        else:
            return {"floor": floor, "sheet": measured, "ratio": measured["per_second"] / floor["per_second"],
                    "document": "documents app, form kpi_sheet (kk)"}
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(probe.chairman)
    url = reverse("web:sheet", args=[probe.sheet_for_pdf])

    def sheet() -> bytes:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return HTML(string=_inline_styles(response.content.decode())).render().write_pdf()

    measured = _rate(sheet, count)
    return {"floor": floor, "sheet": measured, "ratio": measured["per_second"] / floor["per_second"],
            "document": "web:sheet page" + (f" (the official form failed: {failed})" if failed else "")}


def _official_form() -> Any:
    try:
        from bagalau.documents import registry, services
        from bagalau.documents.render import render
    except ImportError:
        return None
    try:
        form = registry.get("kpi_sheet")
    except (KeyError, LookupError):
        return None

    def print_sheet(probe: Probe) -> bytes:
        sheet = form.load(probe.chairman, probe.body, probe.sheet_for_pdf)
        return bytes(render(form, services.build_data(form, sheet, "kk"), "pdf"))

    return print_sheet
