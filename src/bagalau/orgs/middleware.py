"""Puts the user's current state body on the request (`request.state_body`), from the session,
falling back to the first body the user may enter. Views and services take the body from here;
nothing reads a body id from a URL without checking it belongs to the user."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from bagalau.orgs.access import bodies_for
from bagalau.orgs.models import StateBody

SESSION_KEY = "bagalau_body_id"


def current_body(request: HttpRequest, bodies: list[StateBody] | None = None) -> StateBody | None:
    bodies = bodies_for(request.user) if bodies is None else bodies
    if not bodies:
        return None
    wanted = request.session.get(SESSION_KEY)
    for body in bodies:
        if body.pk == wanted:
            return body
    return bodies[0]


class CurrentBodyMiddleware:
    """Sets `request.state_bodies` (every body the user may enter, for the switcher) and
    `request.state_body` (the current one), with one lookup per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        bodies = bodies_for(user) if user is not None and user.is_authenticated else []
        request.state_bodies = bodies  # type: ignore[attr-defined]
        request.state_body = current_body(request, bodies) if bodies else None  # type: ignore[attr-defined]
        return self.get_response(request)
