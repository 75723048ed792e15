"""PDF throughput of the KPI evaluation sheet against a one-line WeasyPrint document.

The sheet is the official form (Annex 10) as the documents app prints it: its selector loads the
sheet for the manager, the form's data is built in Kazakh and WeasyPrint renders it. Where that
form is not registered, the sheet's page (`web:sheet`, with the site's stylesheet) is printed
instead and the figures say so. The floor is WeasyPrint's fixed cost for a document of one line.
Both run in this process, one after the other, so they share the CPU and the fonts cache.
"""

from __future__ import annotations

import re
import time
from typing import Any

from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from bench.probe import Probe

ONE_LINE = "<p>Бағалау парағы</p>"


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


def _rate(render: Any, count: int) -> dict[str, Any]:
    render()  # warm fonts and caches
    started = time.perf_counter()
    pages = 0
    for _ in range(count):
        pages += render()
    seconds = time.perf_counter() - started
    return {"documents": count, "seconds": seconds, "per_second": count / seconds, "pages": pages / count}


def measure(probe: Probe, count: int) -> dict[str, Any]:
    from weasyprint import HTML

    def one_line() -> int:
        document = HTML(string=ONE_LINE).render()
        document.write_pdf()
        return len(document.pages)

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

    def sheet() -> int:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        document = HTML(string=_inline_styles(response.content.decode())).render()
        document.write_pdf()
        return len(document.pages)

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

    def print_sheet(probe: Probe) -> int:
        sheet = form.load(probe.chairman, probe.body, probe.sheet_for_pdf)
        raw = render(form, services.build_data(form, sheet, "kk"), "pdf")
        return 1 if raw.startswith(b"%PDF") else 0  # pages sit in compressed object streams

    return print_sheet
