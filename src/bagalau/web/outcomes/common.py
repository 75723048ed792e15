"""What the outcomes views share: running one service call and turning its refusal into the page's
error (403 role, 409 illegal move or stale version, 400 bad input with the field named)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from bagalau.cycles.errors import Conflict
from bagalau.cycles.workflow import IllegalTransition
from bagalau.outcomes.models import AppealState, FamiliarizationState, ProposalState
from bagalau.web.cycles.common import redirect
from bagalau.web.cycles.forms import error_dict

FAM_TONES: dict[str, str] = {
    FamiliarizationState.PENDING: "tone-progress", FamiliarizationState.SIGNED: "tone-done",
    FamiliarizationState.REFUSED: "tone-warn", FamiliarizationState.ACT_DRAWN: "tone-review",
    FamiliarizationState.DELIVERED: "tone-done", FamiliarizationState.REMOTE: "tone-done",
    FamiliarizationState.SUPERSEDED: "tone-muted",
}
APPEAL_TONES: dict[str, str] = {
    AppealState.FILED: "tone-progress", AppealState.UPHELD: "tone-done", AppealState.REVISION: "tone-warn",
    AppealState.REVISED: "tone-done",
}
PROPOSAL_TONES: dict[str, str] = {
    ProposalState.PROPOSED: "tone-progress", ProposalState.APPROVED: "tone-done",
    ProposalState.REJECTED: "tone-muted", ProposalState.WITHDRAWN: "tone-muted",
}
TIMELINESS: dict[str, Promise] = {"ON_TIME": gettext_lazy("on time"), "LATE": gettext_lazy("late")}


def run(request: HttpRequest, call: Callable[[], Any], *, done: str, next_url: str,
        rerender: Callable[[dict[str, list[str]], int], HttpResponse]) -> HttpResponse:
    """Call the service; on success a message and a redirect, on a refusal the page again with the
    errors by field and the status that says why."""
    try:
        call()
    except PermissionDenied as exc:
        return rerender({"top": [str(exc)]}, 403)
    except (Conflict, IllegalTransition) as exc:
        return rerender(_named(error_dict(exc)), 409)
    except ValidationError as exc:
        return rerender(_named(error_dict(exc)), 400)
    messages.success(request, done)
    return redirect(next_url)


def int_or_none(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def int_list(values: list[str]) -> list[Any]:
    """Ids from a multi-select; a non-number is passed on as it is so the service names it."""
    out: list[Any] = []
    for v in values:
        n = int_or_none(v)
        out.append(n if n is not None else v)
    return out


def _named(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Errors not about one field go under "top" (a template cannot read "__all__")."""
    return {("top" if key == "__all__" else key): messages for key, messages in errors.items()}
