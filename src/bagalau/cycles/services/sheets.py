"""The KPI evaluation sheet (Annex 10): filled and signed by the direct manager (S1-p.49); agreed
or returned by the superior manager, or the first head when he is the direct manager (S1-p.51-53),
who may not change the results, only return them for insufficient or unreliable evidence
(S1-p.54, Q-19); corrected and resubmitted within `sheet_resubmission_due` (S1-p.55); submitted to
the Commission by HR within `hr_to_commission_due` (S1-p.56).

The rating is never typed: each save derives, through the core, whether each KPI is achieved (every
indicator fully met; a KPI met in part is not, S1-p.50 last paragraph) and the rating from the count
(S1-p.50), stored with its clause. A sheet of a servant evaluated without participation takes the
same steps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils.translation import gettext as _

from bagalau.cycles import clock, dues, steps, workflow
from bagalau.cycles.content import sheet_content
from bagalau.cycles.errors import run_core as core
from bagalau.cycles.evidence import check_upload
from bagalau.cycles.models import DocumentKind, EvidenceFile, Kpi, KpiOutcome, KpiSheet
from bagalau.cycles.plancheck import version_of
from bagalau.cycles.services._base import Move, begin, finish, late_payload, sign, text_field
from bagalau.methodology import kpi as kpi_rules
from bagalau.methodology import review
from bagalau.methodology.model import MethodologyVersion
from bagalau.orgs.models import StateBody

MAX_INDICATORS = 50


def result_key(n: int, name: str) -> str:
    return f"results-{n}-{name}"


def _whole(value: Any, key: str, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        else:
            raise ValidationError({key: _("A whole number is expected.")})
    if not low <= value <= high:
        raise ValidationError({key: _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}})
    return value


def _apply_results(outcomes: dict[int, KpiOutcome], results: Any) -> None:
    """Set the rows from the input, or a ValidationError naming every bad field at once.

    Each entry: {"number": n, and any of "indicators_planned", "indicators_met", "achieved" (a
    yes/no shortcut: all indicators met or none), "evidence_text"}. `achieved` is never stored as
    given: the core derives it from the indicators."""
    if not isinstance(results, Sequence) or isinstance(results, str | bytes):
        raise ValidationError({"results": _("A list of KPI results is expected.")})
    errors: dict[str, str] = {}
    for i, raw in enumerate(results, start=1):
        if not isinstance(raw, Mapping):
            errors[f"results-{i}"] = _("Each result is a set of fields.")
            continue
        number = raw.get("number", i)
        outcome = outcomes.get(number) if isinstance(number, int) and not isinstance(number, bool) else None
        if outcome is None:
            errors[f"results-{i}-number"] = _("The plan has no KPI number %(n)s.") % {"n": number}
            continue
        n = outcome.number
        unknown = set(raw) - {"number", "indicators_planned", "indicators_met", "achieved", "evidence_text"}
        if unknown:
            errors[result_key(n, "number")] = _("Unknown fields: %(names)s.") % {
                "names": ", ".join(sorted(map(str, unknown)))}
            continue
        try:
            if "indicators_planned" in raw:
                outcome.indicators_planned = _whole(raw["indicators_planned"], result_key(n, "indicators_planned"),
                                                    low=1, high=MAX_INDICATORS)
            if "indicators_met" in raw:
                met = raw["indicators_met"]
                outcome.indicators_met = None if met in (None, "") else _whole(
                    met, result_key(n, "indicators_met"), low=0, high=outcome.indicators_planned)
            elif "achieved" in raw:
                flag = raw["achieved"]
                if flag is not None and not isinstance(flag, bool):
                    raise ValidationError({result_key(n, "achieved"): _("Yes or no is expected.")})
                outcome.indicators_met = None if flag is None else (outcome.indicators_planned if flag else 0)
            if outcome.indicators_met is not None and outcome.indicators_met > outcome.indicators_planned:
                raise ValidationError({result_key(n, "indicators_met"): _(
                    "More indicators met than planned (%(planned)s).") % {"planned": outcome.indicators_planned}})
            if "evidence_text" in raw:
                outcome.evidence_text = text_field(raw["evidence_text"], result_key(n, "evidence_text"),
                                                   max_length=8000)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)


def derive(version: MethodologyVersion, sheet: KpiSheet, outcomes: Sequence[KpiOutcome], on: dt.date) -> None:
    """Each KPI's `achieved` and the sheet's rating, from the core (nothing typed). The rating is
    left empty until every KPI has a result."""
    for o in outcomes:
        o.achieved = None if o.indicators_met is None else bool(core(
            kpi_rules.is_achieved, version, kpi_rules.KpiResult(o.indicators_met, o.indicators_planned), on,
            field=result_key(o.number, "indicators_met")).value)
    met = [o.indicators_met for o in outcomes]
    if outcomes and all(m is not None for m in met):
        results = [kpi_rules.KpiResult(m or 0, o.indicators_planned) for m, o in zip(met, outcomes, strict=True)]
        decision = core(kpi_rules.grade_results, version, results, on, field="results")
        sheet.achieved_count = decision.details["achieved"]
        sheet.rating, sheet.rating_clause = decision.value, decision.clause
        sheet.rating_verified, sheet.rating_decision = decision.verified, decision.as_dict()
    else:
        sheet.achieved_count, sheet.rating, sheet.rating_clause = None, "", ""
        sheet.rating_verified, sheet.rating_decision = False, {}


def _content(sheet: KpiSheet, outcomes: Sequence[KpiOutcome]) -> dict[str, Any]:
    kpis = {k.pk: k for k in Kpi.objects.filter(plan_id=sheet.plan_id)}
    return sheet_content(sheet, outcomes, kpis, EvidenceFile.objects.filter(sheet=sheet))


def _edit(actor: Any, body: StateBody, sheet_id: int, expected_version: int) -> Move:
    return begin(actor=actor, body=body, model=KpiSheet, doc_type=workflow.SHEET, pk=sheet_id, action="edit",
                 expected_version=expected_version)


@dataclass(frozen=True)
class SavedSheet:
    """A sheet as `save_sheet_outcomes` stored it: the row (with its participant and cycle) and its
    outcomes by number, each with its KPI, so the answer is built without reading them again."""

    sheet: KpiSheet
    outcomes: list[KpiOutcome]


def save_sheet(actor: Any, body: StateBody, sheet_id: int, *, results: Sequence[Mapping[str, Any]],
               expected_version: int) -> KpiSheet:
    """The direct manager records the results and the evidence text; the rating follows."""
    return save_sheet_outcomes(actor, body, sheet_id, results=results, expected_version=expected_version).sheet


@transaction.atomic
def save_sheet_outcomes(actor: Any, body: StateBody, sheet_id: int, *, results: Sequence[Mapping[str, Any]],
                        expected_version: int) -> SavedSheet:
    """`save_sheet`, answering the stored outcomes too."""
    move = _edit(actor, body, sheet_id, expected_version)
    sheet: KpiSheet = move.doc
    outcomes = {o.number: o for o in sheet.outcomes.select_related("kpi").order_by()}  # by number below
    before = {n: _stored(o) for n, o in outcomes.items()}
    _apply_results(outcomes, results)
    version = version_of(move.cycle)
    ordered = sorted(outcomes.values(), key=lambda o: o.number)
    derive(version, sheet, ordered, clock.today())
    _write_outcomes([o for o in ordered if _stored(o) != before[o.number]])
    finish(move, actor=actor, doc_type=workflow.SHEET, version=version, update={},
           payload={"achieved": sheet.achieved_count, "rating": sheet.rating, "rating_clause": sheet.rating_clause})
    return SavedSheet(sheet, ordered)


OUTCOME_FIELDS = ("indicators_planned", "indicators_met", "achieved", "evidence_text")


def _stored(o: KpiOutcome) -> tuple[Any, ...]:
    return tuple(getattr(o, f) for f in OUTCOME_FIELDS)


def _write_outcomes(changed: Sequence[KpiOutcome]) -> None:
    """Store the changed result rows in one UPDATE, whatever their number.

    `bulk_update` would do it in one statement too, but it builds a CASE expression per row and
    column through the ORM: about 2 ms of CPU for the five rows of a sheet, the most expensive step
    of a save. This is the same update written once (a VALUES list joined on the id, which
    PostgreSQL and SQLite both take), each value prepared by its field as the ORM would. Like
    `bulk_update`, it sends no model signals."""
    if not changed:
        return
    meta = KpiOutcome._meta
    by_name = {f.name: f for f in meta.concrete_fields}
    fields = [by_name[name] for name in OUTCOME_FIELDS]
    quote = connection.ops.quote_name
    row = "(%s, " + ", ".join(f"CAST(%s AS {f.cast_db_type(connection)})" for f in fields) + ")"
    params: list[Any] = []
    for o in changed:
        params.append(o.pk)
        params.extend(f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields)
    names = [quote(str(f.column)) for f in fields]
    columns = ", ".join(names)
    assignments = ", ".join(f"{name} = v.{name}" for name in names)
    table, pk = quote(meta.db_table), quote(str(by_name["id"].column))
    sql = (f"WITH v ({pk}, {columns}) AS (VALUES {', '.join([row] * len(changed))}) "
           f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{pk} = v.{pk}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@transaction.atomic
def attach_evidence(actor: Any, body: StateBody, sheet_id: int, *, number: int, name: str, stream: IO[bytes],
                    expected_version: int) -> EvidenceFile:
    """Attach a file to KPI `number`'s result. Refused before anything is written if it is too
    large or its content is not pdf/docx/xlsx/jpg/png (or does not match its extension)."""
    move = _edit(actor, body, sheet_id, expected_version)
    sheet: KpiSheet = move.doc
    outcome = sheet.outcomes.filter(number=number).first() if isinstance(number, int) else None
    if outcome is None:
        raise ValidationError({"number": _("The plan has no KPI number %(n)s.") % {"n": number}})
    checked = check_upload(name, stream, field=result_key(number, "file"))
    evidence = EvidenceFile(outcome=outcome, sheet=sheet, body=body, original_name=checked.name,
                            extension=checked.extension, content_type=checked.content_type, size=checked.size,
                            sha256=checked.sha256, uploaded_by=actor)
    # The file is written last, after every check, and removed again if the rows cannot be written.
    # (A rollback of an enclosing transaction would leave an unreferenced, content-named file behind:
    # harmless, and never served, since files are only reached through their row.)
    evidence.file.save(checked.name, ContentFile(checked.data), save=False)
    try:
        evidence.save()
        finish(move, actor=actor, doc_type=workflow.SHEET, version=version_of(move.cycle), update={},
               payload={"evidence_added": {"kpi": number, "name": checked.name, "sha256": checked.sha256,
                                           "size": checked.size, "type": checked.kind}})
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def remove_evidence(actor: Any, body: StateBody, sheet_id: int, *, file_id: int, expected_version: int) -> KpiSheet:
    move = _edit(actor, body, sheet_id, expected_version)
    sheet: KpiSheet = move.doc
    evidence = EvidenceFile.objects.filter(sheet=sheet, pk=file_id).select_related("outcome").first()
    if evidence is None:
        raise ValidationError({"file_id": _("No such evidence file on this sheet.")})
    info = {"kpi": evidence.outcome.number, "name": evidence.original_name, "sha256": evidence.sha256}
    stored, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    finish(move, actor=actor, doc_type=workflow.SHEET, version=version_of(move.cycle), update={},
           payload={"evidence_removed": info})
    if stored and not EvidenceFile.objects.filter(file=stored).exists():
        transaction.on_commit(lambda: storage.delete(stored))
    return sheet


@transaction.atomic
def sign_sheet(actor: Any, body: StateBody, sheet_id: int, *, expected_version: int) -> KpiSheet:
    """The direct manager signs the completed sheet and sends it to the reviewer (S1-p.49, p.51);
    after a return this is the resubmission of S1-p.55."""
    move = begin(actor=actor, body=body, model=KpiSheet, doc_type=workflow.SHEET, pk=sheet_id, action="sign",
                 expected_version=expected_version)
    sheet: KpiSheet = move.doc
    if move.repeated:
        return sheet
    outcomes = list(sheet.outcomes.all())
    missing = {result_key(o.number, "indicators_met"): _("The result of KPI %(n)s is not filled in.") % {"n": o.number}
               for o in outcomes if o.indicators_met is None}
    if missing:
        raise ValidationError(missing)
    version = version_of(move.cycle)
    derive(version, sheet, outcomes, clock.today())  # the grading in force on the day of signing
    KpiOutcome.objects.bulk_update(outcomes, ["achieved"])
    late = late_payload(sheet)
    code = "sheet.correct" if move.from_state == "returned" else "sheet.fill"
    finish(move, actor=actor, doc_type=workflow.SHEET, version=version,
           update={"signed_at": clock.now(), **dues.Due.none().fields()},
           payload={"achieved": sheet.achieved_count, "rating": sheet.rating, "rating_clause": sheet.rating_clause,
                    **late})
    sign(actor=actor, body=body, doc=sheet, kind=DocumentKind.SHEET, role=move.role, action="sign",
         content=_content(sheet, outcomes))
    steps.close_steps(doc=sheet, actor=actor, codes=(code,))
    steps.open_step(body=body, doc=sheet, code="sheet.review", subject=move.participant.servant,
                    due=dues.Due.none(), servant=move.participant.sheet_reviewer)
    return sheet


@transaction.atomic
def agree_sheet(actor: Any, body: StateBody, sheet_id: int, *, expected_version: int) -> KpiSheet:
    """The reviewer agrees and signs (S1-p.53); HR must submit it within hr_to_commission_due (S1-p.56)."""
    move = begin(actor=actor, body=body, model=KpiSheet, doc_type=workflow.SHEET, pk=sheet_id, action="agree",
                 expected_version=expected_version)
    sheet: KpiSheet = move.doc
    if move.repeated:
        return sheet
    version = version_of(move.cycle)
    today = clock.today()
    core(review.check_superior_review, version, "agree", on=today, field="decision")
    due = dues.compute(version, dues.HR_TO_COMMISSION_DUE, today)
    finish(move, actor=actor, doc_type=workflow.SHEET, version=version,
           update={"agreed_at": clock.now(), **due.fields()}, payload=due.payload())
    sign(actor=actor, body=body, doc=sheet, kind=DocumentKind.SHEET, role=move.role, action="agree",
         content=_content(sheet, list(sheet.outcomes.all())))
    steps.close_steps(doc=sheet, actor=actor, codes=("sheet.review",))
    steps.open_step(body=body, doc=sheet, code="sheet.forward", subject=move.participant.servant, due=due, hr=True)
    return sheet


@transaction.atomic
def return_sheet(actor: Any, body: StateBody, sheet_id: int, *, expected_version: int, grounds: Sequence[str],
                 reason: str) -> KpiSheet:
    """The reviewer returns the sheet citing insufficient or unreliable evidence (S1-p.53-54); the
    direct manager resubmits within sheet_resubmission_due working days (S1-p.55)."""
    move = begin(actor=actor, body=body, model=KpiSheet, doc_type=workflow.SHEET, pk=sheet_id, action="return",
                 expected_version=expected_version)
    sheet: KpiSheet = move.doc
    if move.repeated:
        return sheet
    reason = text_field(reason, "reason", required=True)
    if isinstance(grounds, str) or not isinstance(grounds, Sequence):
        raise ValidationError({"grounds": _("A list of grounds is expected.")})
    version = version_of(move.cycle)
    today = clock.today()
    decision = core(review.check_superior_review, version, "return_for_correction", list(grounds), on=today,
                    field="grounds")
    if decision.problems:
        raise ValidationError({"grounds": " ".join(f"{p.message} ({p.clause})." for p in decision.problems)})
    due = dues.compute(version, dues.SHEET_RESUBMISSION_DUE, today)
    finish(move, actor=actor, doc_type=workflow.SHEET, version=version,
           update={"return_reason": reason, "return_grounds": list(grounds),
                   "times_returned": sheet.times_returned + 1, **due.fields()},
           payload={"reason": reason, "grounds": list(grounds), **due.payload()})
    steps.close_steps(doc=sheet, actor=actor, codes=("sheet.review",))
    steps.open_step(body=body, doc=sheet, code="sheet.correct", subject=move.participant.servant, due=due,
                    servant=move.participant.direct_manager)
    return sheet


@transaction.atomic
def forward_sheet(actor: Any, body: StateBody, sheet_id: int, *, expected_version: int) -> KpiSheet:
    """HR submits the agreed sheet to the Commission (S1-p.56); the audit event says if it was late."""
    move = begin(actor=actor, body=body, model=KpiSheet, doc_type=workflow.SHEET, pk=sheet_id, action="forward",
                 expected_version=expected_version)
    sheet: KpiSheet = move.doc
    if move.repeated:
        return sheet
    late = late_payload(sheet)
    finish(move, actor=actor, doc_type=workflow.SHEET, version=version_of(move.cycle),
           update={"forwarded_at": clock.now(), **dues.Due.none().fields()}, payload=late)
    steps.close_steps(doc=sheet, actor=actor, codes=("sheet.forward",))
    return sheet

