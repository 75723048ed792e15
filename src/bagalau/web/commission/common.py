"""What the commission views share: error dicts, labels of the codes the pages show, the people a
commission may be formed of, and the display of a rating code."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from bagalau.commission import rules
from bagalau.commission.models import ItemDecision, MeetingState, SeatRole
from bagalau.orgs.models import Role, RoleGrant, Servant, StateBody
from bagalau.web.cycles import display
from bagalau.web.cycles.forms import error_dict

# Keyed by the stored code (a plain str), so lookups with a model field's value type-check.
SEAT_LABELS: dict[str, Promise] = {
    SeatRole.CHAIR: gettext_lazy("Chair"),
    SeatRole.MEMBER: gettext_lazy("Member"),
    SeatRole.SECRETARY: gettext_lazy("Secretary (no vote)"),
}

MEETING_STATE_TONES: dict[str, str] = {
    MeetingState.PROPOSED: "tone-review", MeetingState.SCHEDULED: "tone-progress",
    MeetingState.IN_SESSION: "tone-warn", MeetingState.DECIDED: "tone-review",
    MeetingState.PROTOCOL_SIGNED: "tone-review", MeetingState.APPROVED: "tone-done",
    MeetingState.CANCELLED: "tone-muted",
}

DECISION_LABELS: dict[str, Promise] = {
    ItemDecision.APPROVE: gettext_lazy("Approve the result"),
    ItemDecision.REVISE: gettext_lazy("Revise the result"),
}

PROJECTED_LABELS: dict[str, Promise] = {
    "APPROVE": gettext_lazy("approve"),
    "REVISE": gettext_lazy("revise"),
    "TIE_UNRESOLVED": gettext_lazy("tie: only the chair's vote decides it"),
    "NO_QUORUM": gettext_lazy("no quorum"),
}


def errors_of(exc: ValidationError) -> dict[str, list[str]]:
    return error_dict(exc)


def flat(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(m for ms in error_dict(exc).values() for m in ms)
    return str(exc.args[0]) if exc.args else str(exc)


def rating_text(version_id: str, code: str) -> str:
    """"B — «effective»"-like: the code with the version's label in the active language."""
    if not code:
        return ""
    version = display.version_or_none(version_id)
    if version is None:
        return code
    try:
        label = rules.rating_label(version, code, display.lang())
    except ValidationError:
        return code
    return code if label == code else f"{label} ({code})"


def rating_choices(version_id: str) -> list[dict[str, str]]:
    version = display.version_or_none(version_id)
    if version is None:
        return []
    try:
        codes = rules.rating_codes(version)
    except ValidationError:
        return []
    return [{"code": c, "label": rating_text(version_id, c)} for c in codes]


def candidates(body: StateBody) -> dict[str, list[dict[str, Any]]]:
    """The people an order may name: holders of the Commission member grant (servants of the body
    or external members) for the chair and the members, holders of the HR grant for the secretary.
    Two queries."""
    grants = list(RoleGrant.objects.filter(body=body, role__in=[Role.COMMISSION_MEMBER, Role.HR],
                                           user__is_active=True).values_list("user_id", "role"))
    ids = {u for u, _r in grants}
    names = {s.user_id: s.full_name for s in Servant.objects.filter(body=body, user_id__in=ids)}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids)}

    def person(uid: int) -> dict[str, Any]:
        user = users[uid]
        name = names.get(uid) or user.get_full_name() or user.get_username()
        return {"id": uid, "name": name, "external": uid not in names}

    members = sorted((person(u) for u, r in grants if r == Role.COMMISSION_MEMBER and u in users),
                     key=lambda p: (p["external"], p["name"]))
    secretaries = sorted((person(u) for u, r in grants if r == Role.HR and u in users), key=lambda p: p["name"])
    return {"members": members, "secretaries": secretaries}
