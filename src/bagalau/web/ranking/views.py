"""The ranking pages: the lists of the body (HR prepares them for a launched cycle), and one list,
where the evaluator grades and signs, the superior agrees or returns it, HR submits it to the
Commission. Next to the scale and quotas the page says whose act they come from and whether they
are verified. Refusals (a quota breach with its clause, a stale version) show the page again with
what was typed and the error; nothing was written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bagalau.assessments.ranking import access, selectors, services
from bagalau.cycles.errors import Conflict
from bagalau.cycles.workflow import IllegalTransition
from bagalau.orgs.models import StateBody
from bagalau.web.cycles.common import body_view, redirect

# The version's ranking settings in words (the codes are methodology.parameters' vocabulary).
TIE_RULES = {
    "shared_rank": gettext_lazy("Servants with the same grade share the position"),
    "not_allowed": gettext_lazy("The evaluator orders servants with the same grade"),
}
GROUPS = {"head": gettext_lazy("heads of structural units"), "non_head": gettext_lazy("other positions")}
SMALL_GROUP = {
    "no_quota": gettext_lazy("Graded without the quotas"),
    "refuse": gettext_lazy("Cannot be signed"),
}


def _due_header(explanation: dict[str, Any] | None, lang: str) -> str:
    """The header line of the core's day-by-day explanation: the rule, its clause, the count."""
    lines = ((explanation or {}).get("lines") or {}).get(lang) or []
    return str(lines[0]) if lines else ""


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


@body_view
@require_safe
def ranking_lists(request: HttpRequest, body: StateBody) -> HttpResponse:
    rows = list(selectors.lists_for(request.user, body))
    cycles = list(selectors.cycles_of(body).filter(state="launched")) if access.is_body_reader(request.user, body) \
        else []
    return render(request, "web/ranking/lists.html", {"rows": rows, "cycles": cycles,
                                                      "is_hr": "hr" in access.list_roles_hr(request.user, body)})


@body_view
@require_POST
def ranking_prepare(request: HttpRequest, body: StateBody, cycle_id: int) -> HttpResponse:
    try:
        out = services.prepare_lists(request.user, body, cycle_id)
    except ValidationError as exc:
        for ms in _errors(exc).values():
            for m in ms:
                messages.error(request, m)
        return redirect(reverse("web:ranking_lists"))
    messages.success(request, _("Ranking lists prepared: %(n)s.") % {"n": len(out.lists)})
    for s in out.skipped:
        messages.warning(request, _("%(name)s has no evaluator in the cycle's snapshot and is not in a list.")
                         % {"name": s["servant_name"]})
    return redirect(reverse("web:ranking_lists"))


def _context(request: HttpRequest, body: StateBody, list_id: int, *, posted: Any = None,
             errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    lang = (getattr(request, "LANGUAGE_CODE", "kk") or "kk")[:2]
    view = selectors.list_view(request.user, body, list_id, lang if lang in ("kk", "ru", "en") else "kk")
    errors = errors or {}
    labels = {s.code: s.label for s in view.scale}
    rows = []
    for e in view.entries:
        grade = posted.get(f"grade-{e.pk}", e.grade) if posted is not None else e.grade
        order = posted.get(f"order-{e.pk}", e.order or "") if posted is not None else (e.order or "")
        rows.append({"entry": e, "grade": grade, "order": order, "grade_label": labels.get(e.grade, e.grade),
                     "errors": errors.get(f"grades-{e.pk}-grade", []) + errors.get(f"grades-{e.pk}-order", []),
                     "absent": e.participant.participation == "without_participation"})
    shown = {f"grades-{e.pk}-{f}" for e in view.entries for f in ("grade", "order")}
    decision = view.ranking_list.check_decision or {}
    return {"view": view, "rl": view.ranking_list, "rows": rows, "actions": set(view.actions),
            # The header line of the core's day-by-day explanation: the rule, its clause, the count.
            "due_line": _due_header(view.ranking_list.due_explanation, lang),
            "ranked_groups": [GROUPS.get(g, g) for g in view.ranked_groups],
            "tie_rule": TIE_RULES.get(view.settings.get("tie_rule") or "", "—"),
            "small_group": SMALL_GROUP.get(view.settings.get("small_group") or "refuse"),
            "top_errors": [m for k, ms in errors.items() if k not in shown for m in ms],
            "problems": decision.get("problems", []), "warnings": decision.get("warnings", [])}


def _refused(request: HttpRequest, body: StateBody, list_id: int, exc: ValidationError, status: int) -> HttpResponse:
    ctx = _context(request, body, list_id, posted=request.POST, errors=_errors(exc))
    return render(request, "web/ranking/list.html", ctx, status=status)


@body_view
@require_http_methods(["GET", "HEAD", "POST"])
def ranking_list(request: HttpRequest, body: StateBody, list_id: int) -> HttpResponse:
    if request.method != "POST":
        return render(request, "web/ranking/list.html", _context(request, body, list_id))
    intent = request.POST.get("intent", "save")
    try:
        version = int(request.POST.get("version", "0") or 0)
        if intent in ("save", "sign"):
            view = selectors.list_view(request.user, body, list_id)
            grades = {e.pk: {"grade": request.POST.get(f"grade-{e.pk}", ""),
                             "order": request.POST.get(f"order-{e.pk}", "") or None} for e in view.entries}
            with transaction.atomic():  # "Save and sign": all or nothing
                rl = services.save_grades(request.user, body, list_id, grades=grades, expected_version=version)
                if intent == "sign":
                    services.sign_list(request.user, body, list_id, expected_version=rl.version)
            messages.success(request, _("The list is signed and sent to the superior.") if intent == "sign"
                             else _("The grades are saved."))
        elif intent == "agree":
            services.agree_list(request.user, body, list_id, expected_version=version)
            messages.success(request, _("You agreed with the list and signed it; HR submits it to the Commission."))
        elif intent == "return":
            services.return_list(request.user, body, list_id, expected_version=version,
                                 reason=request.POST.get("reason", ""))
            messages.success(request, _("The list is returned to the evaluator."))
        elif intent == "forward":
            services.forward_list(request.user, body, list_id, expected_version=version)
            messages.success(request, _("The list is submitted to the Commission."))
        else:
            raise ValidationError({"intent": _("Unknown action.")})
    except (Conflict, IllegalTransition) as exc:
        return _refused(request, body, list_id, exc, 409)
    except ValidationError as exc:
        return _refused(request, body, list_id, exc, 400)
    except ValueError:
        return _refused(request, body, list_id, ValidationError({"version": _("A whole number is expected.")}), 400)
    return redirect(reverse("web:ranking_list", args=[list_id]))
