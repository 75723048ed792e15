"""The servant's own page (web:my_evaluation): my plan and sheets, my results with their clauses
(and the results they superseded), the familiarization with its sign-by date and the buttons to
sign or refuse, my deadlines, my appeals with their state and the form to file one, my documents;
and my notification preferences (web:my_notifications)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bagalau.cycles import clock
from bagalau.documents.selectors import documents_for_servant
from bagalau.notifications import services as notification_services
from bagalau.notifications.selectors import preference_of
from bagalau.orgs.models import StateBody
from bagalau.outcomes import selectors, services
from bagalau.outcomes.models import AppealVenue
from bagalau.outcomes.services.appeals import reviewers
from bagalau.web.commission import common as commission_common
from bagalau.web.cycles.common import body_view
from bagalau.web.outcomes import common

TEMPLATE = "web/outcomes/my_evaluation.html"


def _context(request: HttpRequest, body: StateBody, *, errors: dict[str, list[str]] | None = None,
             form: dict[str, Any] | None = None) -> dict[str, Any]:
    page = selectors.my_page(request.user, body)
    today = clock.today()
    results = []
    for mr in page.results:
        version = mr.result.methodology_version
        results.append({
            "mr": mr, "value": commission_common.rating_text(version, mr.result.value),
            "history": [{"r": h, "value": commission_common.rating_text(version, h.value)} for h in mr.history],
            "tone": common.FAM_TONES.get(mr.fam.state, "") if mr.fam else "",
            "can_sign": bool(mr.fam and mr.fam.state in ("pending", "remote")),
            "can_refuse": bool(mr.fam and mr.fam.state == "pending"),
            "can_appeal": not any(a.state in ("filed", "revision") or a.result_id == mr.result.pk
                                  and a.state != "revised" for a in mr.appeals),
            "appeal_overdue": bool(mr.appeal_by and today > mr.appeal_by.on),
            "appeals": [{"a": a, "tone": common.APPEAL_TONES.get(a.state, ""),
                         "timeliness": common.TIMELINESS.get(a.timeliness, a.timeliness)} for a in mr.appeals],
        })
    files = documents_for_servant(request.user, body, page.servant) if page.servant else []
    return {"page": page, "results": results, "today": today, "errors": errors or {}, "form": form or {},
            "venues": AppealVenue.choices, "reviewers": reviewers(body) if page.servant else [],
            "stored_documents": files}


@body_view
@require_safe
def my_evaluation(request: HttpRequest, body: StateBody) -> HttpResponse:
    return render(request, TEMPLATE, _context(request, body))


def _rerender(request: HttpRequest, body: StateBody, form: dict[str, Any] | None = None) -> Any:
    def rerender(errors: dict[str, list[str]], status: int) -> HttpResponse:
        return render(request, TEMPLATE, _context(request, body, errors=errors, form=form), status=status)
    return rerender


@body_view
@require_POST
def sign(request: HttpRequest, body: StateBody, familiarization_id: int) -> HttpResponse:
    return common.run(request, lambda: services.sign_result(request.user, body, familiarization_id,
                                                            expected_version=request.POST.get("version")),
                      done=_("You signed your evaluation result."), next_url=reverse("web:my_evaluation"),
                      rerender=_rerender(request, body))


@body_view
@require_POST
def refuse(request: HttpRequest, body: StateBody, familiarization_id: int) -> HttpResponse:
    return common.run(request, lambda: services.refuse_to_sign(request.user, body, familiarization_id,
                                                               note=request.POST.get("note", ""),
                                                               expected_version=request.POST.get("version")),
                      done=_("Your refusal is recorded; HR will draw up the act."),
                      next_url=reverse("web:my_evaluation"), rerender=_rerender(request, body))


@body_view
@require_POST
def file_appeal(request: HttpRequest, body: StateBody, result_id: int) -> HttpResponse:
    form: dict[str, Any] = {"result": result_id, "venue": request.POST.get("venue", ""),
            "reviewer": common.int_or_none(request.POST.get("reviewer")), "grounds": request.POST.get("grounds", "")}
    return common.run(request, lambda: services.file_appeal(request.user, body, result_id, venue=form["venue"],
                                                            reviewer_id=form["reviewer"], grounds=form["grounds"]),
                      done=_("Your appeal is filed."), next_url=reverse("web:my_evaluation"),
                      rerender=_rerender(request, body, form))


@body_view
def my_notifications(request: HttpRequest, body: StateBody) -> HttpResponse:
    pref = preference_of(request.user)
    form: dict[str, Any] = {"language": pref.language, "email": pref.email, "sms": pref.sms}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        form = {"language": request.POST.get("language", ""), "email": request.POST.get("email") == "on",
                "sms": request.POST.get("sms") == "on"}

        def rerender(errs: dict[str, list[str]], status: int) -> HttpResponse:
            return render(request, "web/outcomes/notifications.html", {"form": form, "errors": errs}, status=status)

        return common.run(request, lambda: notification_services.save_preference(
            request.user, language=form["language"], email=form["email"], sms=form["sms"]),
            done=_("Your notification preferences are saved."), next_url=reverse("web:my_notifications"),
            rerender=rerender)
    return render(request, "web/outcomes/notifications.html", {"form": form, "errors": errors})
