"""The sign-in trail: every login, failure, lockout and logout is an audit event, written by the
auth signals so that every door (the login page, the admin, the API's session) is covered.

No password data is ever stored: Django's `user_login_failed` hands over credentials with the
password already masked, and only the username and the client address are kept.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from bagalau.accounts import clock, throttle
from bagalau.accounts.models import FailureKind
from bagalau.audit.services import record_event

# Set on the request by the backend when it refused a locked attempt, and by the failure receiver
# when a failure started a lock, so the login form can say when to retry.
LOCK_ATTR = "_bagalau_login_lock"
SESSION_AUTH_AT = "bagalau_auth_at"
# The idle mark starts at the sign-in, so the first page after it does not write the session again.
SESSION_SEEN_AT = "bagalau_seen_at"
USER_OBJECT = "auth.user"


def over_http(request: HttpRequest | None) -> bool:
    """True for a request that came in through the server (WSGI/ASGI). A bare HttpRequest is a
    login made in code (a script, the test client's force_login): not a sign-in by a person, so
    neither throttled nor recorded as one."""
    return request is not None and type(request) is not HttpRequest


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = clock.now().timestamp()
        request.session[SESSION_AUTH_AT] = now
        request.session[SESSION_SEEN_AT] = now
    if not over_http(request):
        return
    ip = throttle.client_ip(request)
    with transaction.atomic():
        throttle.clear_failures(user.get_username())
        record_event(action="auth.login", obj=user, actor=user, role="user", body_id=None,
                     payload={"ip": ip})


def on_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None or not over_http(request):
        return
    with transaction.atomic():
        record_event(action="auth.logout", obj=user, actor=user, role="user",
                     payload={"ip": throttle.client_ip(request), "reason": getattr(request, "_bagalau_logout_reason",
                                                                                   "user")})


def record_failure(request: HttpRequest | None, username: str, kind: str, *, user: Any = None) -> throttle.Lock | None:
    """Count a failed attempt and audit it; audit the lockout it starts, if any."""
    ip = throttle.client_ip(request)
    name = throttle.normalise(username)
    with transaction.atomic():
        lock = throttle.count_failure(name, ip, kind)
        ids = {"obj": user} if user is not None else {"object_type": USER_OBJECT, "object_id": ""}
        record_event(action="auth.login_failed", role="user", actor=None,
                     payload={"username": name, "ip": ip, "kind": kind}, **ids)
        if lock is not None:
            record_event(action="auth.locked_out", role="system", actor=None,
                         payload={"username": name, "ip": ip, "scope": lock.scope, "failures": lock.failures,
                                  "until": lock.until.isoformat()}, **ids)
    if lock is not None and request is not None:
        setattr(request, LOCK_ATTR, lock)
    return lock


def on_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                    **kwargs: Any) -> None:
    if not over_http(request) or getattr(request, LOCK_ATTR, None) is not None:
        return  # a check made in code, or refused because already locked: no new guess to count
    username = str(credentials.get("username", "") or "")
    record_failure(request, username, FailureKind.PASSWORD)
