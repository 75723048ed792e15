"""The consequence proposals as a table: CSV (UTF-8 with BOM, so a spreadsheet opens Kazakh and
Russian text correctly) or XLSX. The header row is in the active language; values are codes and
dates as stored, plus their labels, so a reader and a program can both use the file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from bagalau.outcomes.models import ConsequenceProposal, ProposalState, Purpose


def header() -> list[str]:
    return [_("Servant"), _("IIN"), _("Period"), _("Basis"), _("Result"), _("Result clause"), _("Proposal"),
            _("Proposal code"), _("Legal basis"), _("Justification"), _("State"), _("Proposed on"),
            _("Decided on"), _("Decision note")]


def rows(proposals: Iterable[ConsequenceProposal]) -> list[list[str]]:
    out = []
    for p in proposals:
        cycle = p.result.cycle
        out.append([
            p.servant.full_name, p.servant.iin, f"{cycle.period_start.isoformat()} – {cycle.period_end.isoformat()}",
            p.basis, p.result.value, p.result.value_clause, str(Purpose(p.purpose).label), p.purpose, p.clause,
            p.justification, str(ProposalState(p.state).label), p.proposed_at.date().isoformat(),
            p.decided_at.date().isoformat() if p.decided_at else "", p.decision_note,
        ])
    return out


def _safe(value: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: quote it (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def to_csv(proposals: Iterable[ConsequenceProposal]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header())
    for row in rows(proposals):
        writer.writerow([_safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(proposals: Iterable[ConsequenceProposal]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "consequences"
    sheet.append(header())
    for row in rows(proposals):
        sheet.append([_safe(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
