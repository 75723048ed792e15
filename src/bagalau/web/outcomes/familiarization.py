"""HR's familiarization pages: the board (web:outcomes_board) of who has signed, refused, been
notified remotely and who not yet, overdue ones marked; and one servant's familiarization
(web:outcomes_act): the refusal act form with its witnesses (S0-p.40), the delivery to a refuser,
and the remote notice form with the proof upload (S1-p.12 para 2)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bagalau.cycles import clock
from bagalau.orgs.models import StateBody
from bagalau.outcomes import selectors, services
from bagalau.outcomes.models import DeliveryChannel, RemoteChannel
from bagalau.web.commission import common as commission_common
from bagalau.web.cycles.common import body_view
from bagalau.web.outcomes import common


@body_view
@require_safe
def board(request: HttpRequest, body: StateBody) -> HttpResponse:
    only_open = request.GET.get("open") == "1"
    rows = selectors.board(request.user, body, only_open=only_open)
    return render(request, "web/outcomes/board.html", {
        "rows": [{"row": r, "value": commission_common.rating_text(r.fam.result.methodology_version,
                                                                   r.fam.result.value),
                  "tone": common.FAM_TONES.get(r.fam.state, "")} for r in rows],
        "only_open": only_open, "waiting": sum(1 for r in rows if r.open)})


def _default_texts(detail: selectors.FamiliarizationDetail) -> dict[str, str]:
    name = detail.fam.servant.full_name
    day = clock.today().strftime("%d.%m.%Y")
    return {
        "text_kk": f"{day} {name} бағалау нәтижелерімен танысудан және оларға қол қоюдан бас тартты.",
        "text_ru": f"{day} {name} отказался(-ась) от ознакомления с результатами оценки и от их подписания.",
    }


def _context(request: HttpRequest, body: StateBody, familiarization_id: int, *,
             errors: dict[str, list[str]] | None = None, form: dict[str, Any] | None = None,
             which: str = "") -> dict[str, Any]:
    detail = selectors.familiarization(request.user, body, familiarization_id)
    fam = detail.fam
    form = {**_default_texts(detail), "witnesses": [], **(form or {})}
    return {
        "d": detail, "fam": fam, "act": detail.act,
        "value": commission_common.rating_text(fam.result.methodology_version, fam.result.value),
        "tone": common.FAM_TONES.get(fam.state, ""), "errors": errors or {}, "form": form, "which": which,
        "remote_channels": [(c, RemoteChannel(c).label) for c in detail.remote_channels if c in RemoteChannel.values],
        "refuser_channels": [(c, DeliveryChannel(c).label) for c in detail.refuser_channels
                             if c in DeliveryChannel.values],
        "overdue": fam.state == "pending" and clock.today() > fam.due,
        "is_hr": "hr" in detail.roles,
    }


@body_view
@require_safe
def familiarization_page(request: HttpRequest, body: StateBody, familiarization_id: int) -> HttpResponse:
    return render(request, "web/outcomes/familiarization.html", _context(request, body, familiarization_id))


def _rerender(request: HttpRequest, body: StateBody, familiarization_id: int, form: dict[str, Any], which: str
              ) -> Any:
    def rerender(errors: dict[str, list[str]], status: int) -> HttpResponse:
        return render(request, "web/outcomes/familiarization.html",
                      _context(request, body, familiarization_id, errors=errors, form=form, which=which),
                      status=status)
    return rerender


@body_view
@require_POST
def draw_act(request: HttpRequest, body: StateBody, familiarization_id: int) -> HttpResponse:
    p = request.POST
    form: dict[str, Any] = {"number": p.get("number", ""), "place": p.get("place", ""), "text_kk": p.get("text_kk", ""),
            "text_ru": p.get("text_ru", ""), "witnesses": common.int_list(p.getlist("witnesses"))}
    return common.run(
        request, lambda: services.draw_refusal_act(
            request.user, body, familiarization_id, number=form["number"], text_kk=form["text_kk"],
            text_ru=form["text_ru"], witnesses=form["witnesses"], place=form["place"],
            expected_version=p.get("version")),
        done=_("The refusal act is drawn up."), next_url=reverse("web:outcomes_act", args=[familiarization_id]),
        rerender=_rerender(request, body, familiarization_id, form, "act"))


@body_view
@require_POST
def deliver(request: HttpRequest, body: StateBody, familiarization_id: int) -> HttpResponse:
    p = request.POST
    form: dict[str, Any] = {"channel": p.get("channel", ""), "reference": p.get("reference", "")}
    return common.run(
        request, lambda: services.record_delivery(request.user, body, familiarization_id, channel=form["channel"],
                                                  reference=form["reference"], expected_version=p.get("version")),
        done=_("The delivery of the result is recorded."),
        next_url=reverse("web:outcomes_act", args=[familiarization_id]),
        rerender=_rerender(request, body, familiarization_id, form, "deliver"))


@body_view
@require_POST
def remote_notice(request: HttpRequest, body: StateBody, familiarization_id: int) -> HttpResponse:
    p = request.POST
    form: dict[str, Any] = {"channel": p.get("channel", ""), "reference": p.get("reference", ""),
                            "sent_at": p.get("sent_at", ""), "note": p.get("note", "")}
    return common.run(
        request, lambda: services.record_remote_notice(
            request.user, body, familiarization_id, channel=form["channel"], sent_at=form["sent_at"] or None,
            reference=form["reference"], note=form["note"], proof=request.FILES.get("proof"),
            expected_version=p.get("version")),
        done=_("The remote notice is recorded."), next_url=reverse("web:outcomes_act", args=[familiarization_id]),
        rerender=_rerender(request, body, familiarization_id, form, "remote"))
