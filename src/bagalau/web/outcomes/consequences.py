"""Consequences of the results (web:outcomes_consequences): HR proposes on a final KPI or ranking
result (S1-p.9), the authorized person approves or rejects; listed per servant; exported as CSV
or XLSX (web:outcomes_consequences_export)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bagalau.orgs.models import StateBody
from bagalau.outcomes import access, exports, selectors, services
from bagalau.outcomes.models import Purpose
from bagalau.outcomes.services.consequences import BASES
from bagalau.web.commission import common as commission_common
from bagalau.web.cycles.common import body_view
from bagalau.web.outcomes import common


def _context(request: HttpRequest, body: StateBody, *, errors: dict[str, list[str]] | None = None,
             form: dict[str, Any] | None = None) -> dict[str, Any]:
    servant_id = common.int_or_none(request.GET.get("servant"))
    proposals = selectors.consequences(request.user, body, servant_id=servant_id)
    roles = access.body_roles(request.user, body)
    results = selectors.proposable_results(request.user, body) if "hr" in roles else []
    groups: dict[int, dict[str, Any]] = {}
    for p in proposals:
        group = groups.setdefault(p.servant_id, {"servant": p.servant, "rows": []})
        group["rows"].append({"p": p, "tone": common.PROPOSAL_TONES.get(p.state, ""),
                              "value": commission_common.rating_text(p.result.methodology_version, p.result.value)})
    return {"groups": list(groups.values()), "errors": errors or {}, "form": form or {}, "is_hr": "hr" in roles,
            "is_authorized": "authorized" in roles, "purposes": Purpose.choices, "bases": BASES,
            "results": [{"r": r, "value": commission_common.rating_text(r.methodology_version, r.value)}
                        for r in results]}


@body_view
@require_safe
def consequences_page(request: HttpRequest, body: StateBody) -> HttpResponse:
    return render(request, "web/outcomes/consequences.html", _context(request, body))


def _rerender(request: HttpRequest, body: StateBody, form: dict[str, Any] | None = None) -> Any:
    def rerender(errors: dict[str, list[str]], status: int) -> HttpResponse:
        return render(request, "web/outcomes/consequences.html", _context(request, body, errors=errors, form=form),
                      status=status)
    return rerender


@body_view
@require_POST
def propose(request: HttpRequest, body: StateBody) -> HttpResponse:
    p = request.POST
    form: dict[str, Any] = {"result": common.int_or_none(p.get("result")), "basis": p.get("basis", ""),
            "purpose": p.get("purpose", ""), "justification": p.get("justification", "")}
    return common.run(request, lambda: services.propose_consequence(
        request.user, body, form["result"] or 0, basis=form["basis"], purpose=form["purpose"],
        justification=form["justification"]),
        done=_("The proposal is recorded."), next_url=reverse("web:outcomes_consequences"),
        rerender=_rerender(request, body, form))


@body_view
@require_POST
def decide(request: HttpRequest, body: StateBody, proposal_id: int) -> HttpResponse:
    p = request.POST
    intent = p.get("intent", "")

    def call() -> Any:
        if intent == "withdraw":
            return services.withdraw_consequence(request.user, body, proposal_id, expected_version=p.get("version"))
        return services.decide_consequence(request.user, body, proposal_id, approve=intent == "approve",
                                           note=p.get("note", ""), expected_version=p.get("version"))

    return common.run(request, call, done=_("The proposal is updated."),
                      next_url=reverse("web:outcomes_consequences"), rerender=_rerender(request, body))


@body_view
@require_safe
def export(request: HttpRequest, body: StateBody) -> HttpResponse:
    rows = selectors.consequences(request.user, body)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(exports.to_xlsx(rows),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        name = "consequences.xlsx"
    else:
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
        name = "consequences.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
