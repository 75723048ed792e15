"""The state body an API request acts in: the session's current body (set by the middleware).
Handlers never take a body id from the caller, so no id can reach into another body."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from bagalau.orgs.models import StateBody


def body_of(request: HttpRequest) -> StateBody:
    body = getattr(request, "state_body", None)
    if body is None:
        raise PermissionDenied(_("You have no role in any state body."))
    return body
