"""The individual work plan (Annex 9): the direct manager's form (the version's number of KPI rows,
each with the fields of S1-p.47), the approver's approve / return, and the read-only page for the
servant, HR and the auditor. Signatures are listed with their validity.

What a reader may do is what `selectors.plan_detail` says (`actions`, from the transition table and
the cycle's snapshot); the page offers exactly that. The form carries the row version it was
rendered with: a save against a newer row is refused (Conflict) and the form comes back as typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bagalau.cycles import clock, selectors, services, workflow
from bagalau.cycles.errors import Conflict
from bagalau.cycles.models import KpiSheet, PlanState
from bagalau.cycles.selectors import PlanDetail
from bagalau.methodology.errors import MethodologyError
from bagalau.orgs.models import StateBody
from bagalau.web.cycles import display, forms, history
from bagalau.web.cycles.commands import save_plan
from bagalau.web.cycles.common import body_view, redirect


def plan_context(request: HttpRequest, detail: PlanDetail, *, posted: list[dict[str, str]] | None = None,
                 errors: dict[str, list[str]] | None = None, review_errors: dict[str, list[str]] | None = None,
                 conflict: str = "", reason: str = "") -> dict[str, Any]:
    plan, participant = detail.plan, detail.participant
    cycle = plan.cycle
    version = display.version_or_none(cycle.methodology_version)
    today = clock.today()
    can_edit = "edit" in detail.actions
    checks = False
    if errors is None:
        errors = {}
        if can_edit and detail.kpis and detail.problems:
            # What blocks the submit of the saved draft, shown against the fields.
            errors, checks = {k: [v] for k, v in detail.problems.items()}, True
    rows = forms.plan_rows(count=detail.kpi_count or len(detail.kpis), kpis=detail.kpis, posted=posted,
                           errors=errors) if can_edit else []
    shown = forms.plan_field_keys(rows) if can_edit else set()
    kpis = [{"kpi": k, "wording": display.kpi_wording(k), "other": display.pick(k.text_ru, k.text_kk)}
            for k in detail.kpis]
    sheet = _sheet_of(plan) if plan.state == PlanState.APPROVED else None
    review_errors = review_errors or {}
    return {
        "detail": detail, "plan": plan, "cycle": cycle, "version": version,
        "facts": display.participant_facts(participant, cycle, workflow.PLAN, version),
        "state": display.state_label(workflow.PLAN, plan.state), "tone": display.state_tone(workflow.PLAN, plan.state),
        "due": display.doc_due(plan, today=today, version=version),
        "can_edit": can_edit, "can_submit": "submit" in detail.actions,
        "can_review": bool({"approve", "return"} & set(detail.actions)), "roles": detail.roles,
        "rows": rows, "kpis": kpis, "kpi_count": detail.kpi_count, "count_errors": errors.get("kpis", []),
        "checks": checks, "top_errors": forms.leftover_errors(errors, shown) if can_edit else
        forms.leftover_errors(errors, ()),
        "conflict": conflict, "review_errors": review_errors,
        "review_top_errors": forms.leftover_errors(review_errors, {"reason"}), "reason": reason,
        "signatures": display.signature_views(detail.signatures),
        "returns": history.returns(plan, workflow.PLAN, participant, version=version, today=today),
        "sheet": sheet, "count_clause": _count_clause(version),
    }


def _count_clause(version: Any) -> str:
    try:
        return version.param("kpi.count").clause if version is not None else ""
    except MethodologyError:
        return ""


def _sheet_of(plan: Any) -> KpiSheet | None:
    """The sheet an approved plan opened (one query)."""
    try:
        return plan.sheet
    except KpiSheet.DoesNotExist:
        return None


@body_view
@require_http_methods(["GET", "HEAD", "POST"])
def plan_page(request: HttpRequest, body: StateBody, plan_id: int) -> HttpResponse:
    if request.method != "POST":
        detail = selectors.plan_detail(request.user, body, plan_id)
        return render(request, "web/cycles/plan.html", plan_context(request, detail))
    posted = forms.parse_plan(request.POST)
    submit = request.POST.get("intent") == "submit"
    try:
        version = forms.parse_version(request.POST)
        save_plan(request.user, body, plan_id, kpis=posted, expected_version=version, submit=submit)
    except Conflict as exc:
        return _refused(request, body, plan_id, posted, {}, status=409, conflict=_conflict_text(exc))
    except workflow.IllegalTransition as exc:
        return _refused(request, body, plan_id, posted, {"__all__": [str(exc.message)]}, status=409)
    except ValidationError as exc:
        return _refused(request, body, plan_id, posted, forms.error_dict(exc), status=400)
    if submit:
        messages.success(request, _("The plan is signed and submitted for approval."))
    else:
        messages.success(request, _("The draft is saved."))
    return redirect(reverse("web:plan", args=[plan_id]))


def _conflict_text(exc: Conflict) -> str:
    return " ".join(m for ms in forms.error_dict(exc).values() for m in ms)


def _refused(request: HttpRequest, body: StateBody, plan_id: int, posted: list[dict[str, str]] | None,
             errors: dict[str, list[str]], *, status: int, conflict: str = "",
             review_errors: dict[str, list[str]] | None = None, reason: str = "") -> HttpResponse:
    """The page again, with what was typed and every error against its field; nothing was written."""
    detail = selectors.plan_detail(request.user, body, plan_id)
    if posted is not None and "edit" not in detail.actions:
        posted = None
    context = plan_context(request, detail, posted=posted, errors=errors, review_errors=review_errors,
                           conflict=conflict, reason=reason)
    return render(request, "web/cycles/plan.html", context, status=status)


@body_view
@require_POST
def plan_review(request: HttpRequest, body: StateBody, plan_id: int) -> HttpResponse:
    """The approver approves (and signs) or returns the plan with a reason."""
    intent = request.POST.get("intent")
    reason = ""
    try:
        version = forms.parse_version(request.POST)
        if intent == "approve":
            services.approve_plan(request.user, body, plan_id, expected_version=version)
            messages.success(request, _("The plan is approved and signed; the KPI evaluation sheet is open for the "
                                        "direct manager."))
        elif intent == "return":
            reason = forms.parse_reason(request.POST)
            services.return_plan(request.user, body, plan_id, expected_version=version, reason=reason)
            messages.success(request, _("The plan is returned to the direct manager with your reason."))
        else:
            raise ValidationError({"intent": _("Choose “approve” or “return”.")})
    except Conflict as exc:
        return _refused(request, body, plan_id, None, {}, status=409, conflict=_conflict_text(exc), reason=reason)
    except workflow.IllegalTransition as exc:
        return _refused(request, body, plan_id, None, {}, status=409,
                        review_errors={"__all__": [str(exc.message)]}, reason=reason)
    except ValidationError as exc:
        return _refused(request, body, plan_id, None, {}, status=400, review_errors=forms.error_dict(exc),
                        reason=reason)
    return redirect(reverse("web:plan", args=[plan_id]))
