"""Each form rendered from the demo cycle in Kazakh and in Russian, as PDF and as DOCX, and read
back: the names, the results with the version's labels, the dates (dd.mm.yyyy), the clause
references, the methodology's legal reference and, on the Kazakh forms, every Kazakh letter. The
PDF embeds the Liberation Serif font; a PNG of its first page is kept for review."""

from __future__ import annotations

import pytest

from bagalau.commission import rules
from bagalau.commission.models import FinalResult
from bagalau.cycles.models import Kpi
from bagalau.documents import services
from bagalau.documents.fonts import EMBEDDED_NAMES
from tests.documents import readback
from tests.documents.walk import user

LANGS = ("kk", "ru")


def _label(version, code, lang):
    return rules.rating_label(version, code, lang)


def expected(form: str, d, lang: str) -> tuple[int, list[str]]:
    """The object rendered and the strings its form must show in `lang`."""
    version = rules.version_named(d.cycle.methodology_version)
    legal_number = "№ 13"
    if form == "iwp":
        plan = d.plans["manager"]
        kpi = Kpi.objects.filter(plan=plan).order_by("number").first()
        p = plan.participant
        return plan.pk, [p.servant_name, p.first_head_name, kpi.text_kk if lang == "kk" else kpi.text_ru,
                         "01.12.2025", "15.01.2025", version.param("kpi.count").clause, legal_number,
                         "9"]
    if form == "kpi_sheet":
        sheet = d.sheets["commission2"]
        sheet.refresh_from_db()
        p = sheet.participant
        return sheet.pk, [p.servant_name, p.direct_manager_name, _label(version, sheet.rating, lang), sheet.rating,
                          sheet.rating_clause, "19.12.2025", legal_number, "Есеп № 1-Қ, 15.12.2025"]
    if form == "protocol":
        d.protocol.refresh_from_db()
        return d.protocol.pk, ["Жақыпбекова Гүлнар Болатқызы", "Марат Тұрсынбаев", "Төлеуова Динара Нұрланқызы",
                               "16.01.2026", "Әбілқасымов Ғалымжан Серікұлы", _label(version, d.original, lang),
                               _label(version, d.corrected, lang), d.protocol.number, "G23-quorum", legal_number]
    results = list(FinalResult.objects.filter(cycle=d.cycle).select_related("participant"))
    revised = next(r for r in results if r.revised)
    return d.cycle.pk, [*(r.participant.servant_name for r in results), _label(version, revised.value, lang),
                        "16.01.2026", revised.familiarization_due.strftime("%d.%m.%Y"), revised.clause,
                        legal_number]


def assert_reads_back(actor, body, form: str, object_id: int, lang: str, wanted: list[str], tmp_path,
                      absent: tuple[str, ...] = ()):
    """Render `form` of the object as PDF and DOCX in `lang`, read both back and check every wanted
    string (and none of the `absent` ones), the Kazakh letters, the embedded fonts and the PNG."""
    pdf = services.generate(actor, body, form, object_id, lang, "pdf")
    docx = services.generate(actor, body, form, object_id, lang, "docx")
    pdf_bytes, docx_bytes = pdf.file.read(), docx.file.read()
    assert pdf_bytes.startswith(b"%PDF") and docx_bytes.startswith(b"PK")
    pdf_text, docx_text = readback.pdf_text(pdf_bytes), readback.docx_text(docx_bytes)
    for text in (pdf_text, docx_text):
        missing = [w for w in wanted if readback.flat(w) not in text]
        assert not missing, (missing, text[:3000])
        leaked = [w for w in absent if w in text]
        assert not leaked, leaked
        if lang == "kk":
            assert not [c for c in readback.KAZAKH_LETTERS if c not in text]
            assert not [c for c in readback.KAZAKH_LETTERS.upper() if c not in text.upper()]
    fonts = readback.pdf_fonts(pdf_bytes, tmp_path)
    assert EMBEDDED_NAMES[0].replace("Serif", "") in fonts.replace("-", "") or "Form-Serif" in fonts
    assert " yes yes yes " in fonts.replace("  ", " ")  # embedded, subset, with a Unicode map
    png = readback.first_page_png(pdf_bytes, f"{form}-{lang}")
    assert png.stat().st_size > 5000
    # Stored with the hash of its bytes, pinned to the methodology version and the object's state.
    assert pdf.sha256 == services.sha256(pdf_bytes) and pdf.size == len(pdf_bytes)
    assert pdf.object_state
    return pdf


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("form", ["iwp", "kpi_sheet", "protocol", "register"])
def test_form_renders_and_reads_back(demo_cycle, form, lang, tmp_path):
    object_id, wanted = expected(form, demo_cycle, lang)
    pdf = assert_reads_back(user("hr"), demo_cycle.body, form, object_id, lang, wanted, tmp_path)
    assert pdf.methodology_version == demo_cycle.cycle.methodology_version
