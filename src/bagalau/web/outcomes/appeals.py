"""Appeals: the reviewer's list (web:outcomes_reviews, only what is addressed to him, whatever the
body), one appeal (web:outcomes_appeal) with the outcome form for its reviewer and the result's
history, and HR's revisions (web:outcomes_revisions): the reopened results and the form proposing
the commission's new sitting on them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bagalau.commission.models import AgendaItem, ItemState
from bagalau.commission.services.reopen import propose_revision_meeting
from bagalau.orgs.models import StateBody
from bagalau.outcomes import selectors, services
from bagalau.web.commission import common as commission_common
from bagalau.web.cycles import display
from bagalau.web.cycles.common import body_view
from bagalau.web.outcomes import common


@body_view
@require_safe
def reviews(request: HttpRequest, body: StateBody) -> HttpResponse:
    rows = selectors.reviewer_appeals(request.user)
    return render(request, "web/outcomes/reviews.html", {
        "rows": [{"a": a, "tone": common.APPEAL_TONES.get(a.state, ""),
                  "timeliness": common.TIMELINESS.get(a.timeliness, a.timeliness),
                  "body_name": a.body.name(display.lang())} for a in rows]})


def _context(request: HttpRequest, body: StateBody, appeal_id: int, *, errors: dict[str, list[str]] | None = None,
             form: dict[str, Any] | None = None) -> dict[str, Any]:
    detail = selectors.appeal(request.user, appeal_id, body)
    a = detail.appeal
    lang = display.lang()
    version = a.result.methodology_version
    return {
        "d": detail, "a": a, "errors": errors or {}, "form": form or {},
        "tone": common.APPEAL_TONES.get(a.state, ""), "timeliness": common.TIMELINESS.get(a.timeliness, a.timeliness),
        "value": commission_common.rating_text(version, a.result.value),
        "outcomes": [(o["code"], o["label"].get(lang) or o["label"].get("kk") or o["code"]) for o in detail.outcomes],
        "history": [{"r": r, "value": commission_common.rating_text(version, r.value)} for r in detail.history],
        "is_reviewer": "reviewer" in detail.roles, "body_name": a.body.name(lang),
    }


@body_view
@require_safe
def appeal_page(request: HttpRequest, body: StateBody, appeal_id: int) -> HttpResponse:
    return render(request, "web/outcomes/appeal.html", _context(request, body, appeal_id))


@body_view
@require_POST
def decide(request: HttpRequest, body: StateBody, appeal_id: int) -> HttpResponse:
    p = request.POST
    form = {"outcome": p.get("outcome", ""), "note": p.get("note", "")}

    def rerender(errors: dict[str, list[str]], status: int) -> HttpResponse:
        return render(request, "web/outcomes/appeal.html", _context(request, body, appeal_id, errors=errors,
                                                                    form=form), status=status)

    return common.run(request, lambda: services.decide_appeal(
        request.user, appeal_id, outcome=form["outcome"], note=form["note"], document=request.FILES.get("document"),
        expected_version=p.get("version")),
        done=_("The outcome of the appeal is recorded."), next_url=reverse("web:outcomes_appeal", args=[appeal_id]),
        rerender=rerender)


def _revisions_context(request: HttpRequest, body: StateBody, errors: dict[str, list[str]] | None = None,
                       form: dict[str, Any] | None = None) -> dict[str, Any]:
    rows = selectors.revisions_waiting(request.user, body)
    on_agenda = set(AgendaItem.objects.filter(reopens_id__in=[a.result_id for a in rows])
                    .exclude(state=ItemState.WITHDRAWN).values_list("reopens_id", flat=True))
    return {"rows": [{"a": a, "on_agenda": a.result_id in on_agenda} for a in rows],
            "errors": errors or {}, "form": form or {}}


@body_view
@require_safe
def revisions(request: HttpRequest, body: StateBody) -> HttpResponse:
    return render(request, "web/outcomes/revisions.html", _revisions_context(request, body))


@body_view
@require_POST
def propose_revision(request: HttpRequest, body: StateBody) -> HttpResponse:
    p = request.POST
    form: dict[str, Any] = {"results": common.int_list(p.getlist("results")), "meeting_on": p.get("meeting_on", ""),
            "place": p.get("place", "")}
    created: dict[str, Any] = {}

    def call() -> None:
        created["meeting"] = propose_revision_meeting(request.user, body, result_ids=form["results"],
                                                      meeting_on=form["meeting_on"], place=form["place"])

    def rerender(errors: dict[str, list[str]], status: int) -> HttpResponse:
        return render(request, "web/outcomes/revisions.html", _revisions_context(request, body, errors, form),
                      status=status)

    response = common.run(request, call, done=_("The commission's sitting on the revision is proposed."),
                          next_url=reverse("web:outcomes_revisions"), rerender=rerender)
    if "meeting" in created:
        response["Location"] = reverse("web:commission_meeting", args=[created["meeting"].pk])
    return response
