"""The KPI evaluation sheet (Annex 10): the direct manager records per KPI achieved or not, the
evidence text and files, and signs; the reviewer agrees or returns it citing insufficient or
unreliable evidence (he never edits the results: his page has no result input); HR submits it to
the Commission. The rating is shown, never typed: the stored one (derived at each save) and, while
the form is being filled, a preview the core computes from the choices on the page (htmx).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bagalau.cycles import clock, selectors, services, workflow
from bagalau.cycles.errors import Conflict
from bagalau.cycles.models import KpiSheet, PlanState
from bagalau.cycles.selectors import BoardRow, SheetDetail
from bagalau.methodology.errors import MethodologyError
from bagalau.orgs.models import StateBody
from bagalau.web.cycles import display, forms, history
from bagalau.web.cycles.commands import save_sheet
from bagalau.web.cycles.common import body_view, error_page, is_partial, redirect, safe_next, vary_on_htmx
from bagalau.web.cycles.cycles import board_labels, board_line


def _evidence(outcome: Any) -> list[Any]:
    """The evidence files `selectors.sheet_detail` put on each outcome."""
    return list(getattr(outcome, "evidence", []))


def _choice(achieved: bool | None) -> str:
    return {True: "yes", False: "no"}.get(achieved, "") if achieved is not None else ""


def sheet_rows(detail: SheetDetail, *, posted: dict[str, Any] | None, errors: dict[str, list[str]],
               removals: set[str]) -> list[dict[str, Any]]:
    rows = []
    for o in detail.outcomes:
        n = o.number
        kpi = o.kpi
        if posted is not None:
            achieved = str(posted.get(forms.result_key(n, "achieved"), ""))
            evidence_text = str(posted.get(forms.result_key(n, "evidence_text"), ""))
        else:
            achieved, evidence_text = _choice(o.achieved), o.evidence_text
        rows.append({
            "number": n, "outcome": o, "kpi": kpi, "wording": display.kpi_wording(kpi),
            "achieved": achieved, "stored_achieved": o.achieved, "evidence_text": evidence_text,
            "partial": o.indicators_planned > 1,
            "files": [{"file": f, "url": reverse("web:evidence", args=[f.pk]), "remove": str(f.pk) in removals}
                      for f in _evidence(o)],
            "errors": forms.row_errors(errors, n),
            "achieved_name": forms.result_key(n, "achieved"), "evidence_name": forms.result_key(n, "evidence_text"),
            "file_name": forms.result_key(n, "file"),
        })
    return rows


def _grounds(version: Any) -> tuple[list[dict[str, str]], str]:
    if version is None:
        return [], ""
    try:
        param = version.param("review.return_grounds")
    except MethodologyError:
        return [], ""
    return ([{"code": g, "label": str(display.GROUND_LABELS.get(g, g))} for g in param.value or []], param.clause)


def sheet_context(request: HttpRequest, detail: SheetDetail, *, posted: dict[str, Any] | None = None,
                  errors: dict[str, list[str]] | None = None, review_errors: dict[str, list[str]] | None = None,
                  conflict: str = "", grounds: list[str] | None = None, reason: str = "") -> dict[str, Any]:
    sheet, participant = detail.sheet, detail.participant
    cycle = sheet.cycle
    version = display.version_or_none(cycle.methodology_version)
    today = clock.today()
    errors = errors or {}
    review_errors = review_errors or {}
    can_edit = "edit" in detail.actions
    numbers = [o.number for o in detail.outcomes]
    removals = set(posted.getlist("remove")) if posted is not None and hasattr(posted, "getlist") else set()
    rows = sheet_rows(detail, posted=posted if can_edit else None, errors=errors, removals=removals)
    ground_choices, grounds_clause = _grounds(version)
    shown = forms.sheet_field_keys(numbers) if can_edit else set()
    return {
        "detail": detail, "sheet": sheet, "cycle": cycle, "version": version, "plan_id": sheet.plan_id,
        "facts": display.participant_facts(participant, cycle, workflow.SHEET, version),
        "state": display.state_label(workflow.SHEET, sheet.state),
        "tone": display.state_tone(workflow.SHEET, sheet.state),
        "due": display.doc_due(sheet, today=today, version=version),
        "rows": rows, "can_edit": can_edit, "can_sign": "sign" in detail.actions,
        "can_review": bool({"agree", "return"} & set(detail.actions)), "can_forward": "forward" in detail.actions,
        "rating": display.stored_rating(sheet, detail.outcomes, version),
        "top_errors": forms.leftover_errors(errors, shown), "conflict": conflict,
        "review_errors": review_errors,
        "review_top_errors": forms.leftover_errors(review_errors, {"reason", "grounds"}),
        "ground_choices": ground_choices, "grounds_clause": grounds_clause, "grounds": grounds or [],
        "reason": reason, "return_grounds": display.labels(sheet.return_grounds or [], display.GROUND_LABELS),
        "signatures": display.signature_views(detail.signatures),
        "returns": history.returns(sheet, workflow.SHEET, participant, version=version, today=today),
        "max_mb": 10,
    }


def _conflict_text(exc: Conflict) -> str:
    return " ".join(m for ms in forms.error_dict(exc).values() for m in ms)


def _refused(request: HttpRequest, body: StateBody, sheet_id: int, *, status: int, posted: Any = None,
             errors: dict[str, list[str]] | None = None, **extra: Any) -> HttpResponse:
    """The page again, with what was typed and every error against its field; nothing was written."""
    detail = selectors.sheet_detail(request.user, body, sheet_id)
    return render(request, "web/cycles/sheet.html",
                  sheet_context(request, detail, posted=posted, errors=errors, **extra), status=status)


@body_view
@require_http_methods(["GET", "HEAD", "POST"])
def sheet_page(request: HttpRequest, body: StateBody, sheet_id: int) -> HttpResponse:
    detail = selectors.sheet_detail(request.user, body, sheet_id)
    if request.method != "POST":
        return render(request, "web/cycles/sheet.html", sheet_context(request, detail))
    sign = request.POST.get("intent") == "sign"
    try:
        version = forms.parse_version(request.POST)
        data = forms.parse_sheet(request.POST, request.FILES, [o.number for o in detail.outcomes],
                                 [f.pk for o in detail.outcomes for f in _evidence(o)])
        save_sheet(request.user, body, sheet_id, data=data, expected_version=version, sign=sign)
    except Conflict as exc:
        return _refused(request, body, sheet_id, status=409, posted=request.POST, conflict=_conflict_text(exc))
    except workflow.IllegalTransition as exc:
        return _refused(request, body, sheet_id, status=409, posted=request.POST,
                        errors={"__all__": [str(exc.message)]})
    except ValidationError as exc:
        return _refused(request, body, sheet_id, status=400, posted=request.POST, errors=forms.error_dict(exc))
    messages.success(request, _("The sheet is signed and sent to the reviewer.") if sign else _("The sheet is saved."))
    return redirect(reverse("web:sheet", args=[sheet_id]))


@body_view
@require_safe
def sheet_rating(request: HttpRequest, body: StateBody, sheet_id: int) -> HttpResponse:
    """The rating the core derives from the choices on the form, for the live preview (htmx).
    Reads only; nothing is stored until the sheet is saved."""
    detail = selectors.sheet_detail(request.user, body, sheet_id)
    version = display.version_or_none(detail.sheet.cycle.methodology_version)
    choices = [forms.ACHIEVED_CHOICES.get(request.GET.get(forms.result_key(o.number, "achieved"), ""))
               for o in detail.outcomes]
    rating = display.previewed_rating(version, [o.indicators_planned for o in detail.outcomes], choices,
                                      clock.today())
    response = render(request, "web/cycles/sheet.html#rating", {"rating": rating, "sheet": detail.sheet})
    return vary_on_htmx(response)


@body_view
@require_POST
def sheet_review(request: HttpRequest, body: StateBody, sheet_id: int) -> HttpResponse:
    """The reviewer agrees (and signs) or returns the sheet citing the grounds of the version."""
    intent = request.POST.get("intent")
    grounds = [str(g) for g in request.POST.getlist("grounds")]
    reason = ""
    try:
        version = forms.parse_version(request.POST)
        if intent == "agree":
            services.agree_sheet(request.user, body, sheet_id, expected_version=version)
            messages.success(request, _("You agreed with the sheet and signed it; HR submits it to the Commission."))
        elif intent == "return":
            reason = forms.parse_reason(request.POST)
            services.return_sheet(request.user, body, sheet_id, expected_version=version, grounds=grounds,
                                  reason=reason)
            messages.success(request, _("The sheet is returned to the direct manager for correction."))
        else:
            raise ValidationError({"intent": _("Choose “agree” or “return”.")})
    except Conflict as exc:
        return _refused(request, body, sheet_id, status=409, conflict=_conflict_text(exc), grounds=grounds,
                        reason=reason)
    except workflow.IllegalTransition as exc:
        return _refused(request, body, sheet_id, status=409, review_errors={"__all__": [str(exc.message)]},
                        grounds=grounds, reason=reason)
    except ValidationError as exc:
        return _refused(request, body, sheet_id, status=400, review_errors=forms.error_dict(exc), grounds=grounds,
                        reason=reason)
    return redirect(reverse("web:sheet", args=[sheet_id]))


@body_view
@require_POST
def sheet_forward(request: HttpRequest, body: StateBody, sheet_id: int) -> HttpResponse:
    """HR submits an agreed sheet to the Commission, from the board (htmx: the row is swapped) or
    from the sheet page."""
    partial = is_partial(request)
    error = ""
    sheet: KpiSheet | None = None
    try:
        version = forms.parse_version(request.POST)
        sheet = services.forward_sheet(request.user, body, sheet_id, expected_version=version)
    except ValidationError as exc:
        error = " ".join(m for ms in forms.error_dict(exc).values() for m in ms)
        if not partial:
            status = 409 if isinstance(exc, (Conflict, workflow.IllegalTransition)) else 400
            return error_page(request, error, status=status, title=_("The sheet was not submitted"))
    if not partial:
        messages.success(request, _("The sheet is submitted to the Commission."))
        return redirect(safe_next(request, reverse("web:sheet", args=[sheet_id])))
    if sheet is None:
        detail = selectors.sheet_detail(request.user, body, sheet_id)
        sheet = detail.sheet
    today = clock.today()
    row = BoardRow(participant=sheet.participant, stage=f"sheet_{sheet.state}", plan_id=sheet.plan_id,
                   plan_state=PlanState.APPROVED, plan_version=None, sheet_id=sheet.pk, sheet_state=sheet.state,
                   sheet_version=sheet.version, due_on=sheet.due_on, due_rule=sheet.due_rule,
                   due_clause=sheet.due_clause, overdue=bool(sheet.due_on and sheet.due_on < today))
    version_obj = display.version_or_none(sheet.cycle.methodology_version)
    line = board_line(row, version=version_obj, today=today, can_forward=not error)
    response = render(request, "web/cycles/board.html#row", {"line": line, "labels": board_labels(), "row_error": error,
                                                             "row_message": "" if error else _("Submitted.")})
    if not error:
        response["HX-Trigger"] = "boardChanged"
    return vary_on_htmx(response)


@body_view
@require_safe
def evidence_download(request: HttpRequest, body: StateBody, file_id: int) -> HttpResponseBase:
    """An evidence file, as an attachment with its checked content type."""
    evidence = selectors.evidence_file(request.user, body, file_id)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                        content_type=evidence.content_type)
