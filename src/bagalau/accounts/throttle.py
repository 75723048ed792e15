"""Login throttling: failures are counted per username and per client address in a sliding
window; reaching a threshold locks that username (or address) until the lockout has passed since
the last failure. Counting lives in the database, so every app process enforces the same limit.

While locked, attempts are refused before the password is checked and are not counted again, so
a locked account is not kept locked forever by an attacker, and a guessed password during the
lockout gives nothing away. A successful sign-in clears the username's failures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max
from django.http import HttpRequest

from bagalau.accounts import clock, conf
from bagalau.accounts.models import FailureKind, LoginFailure

USERNAME = "username"
ADDRESS = "address"


@dataclass(frozen=True)
class Lock:
    scope: str  # USERNAME or ADDRESS
    until: dt.datetime
    failures: int


def client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    raw = str(request.META.get(conf.client_ip_header(), "") or "")
    # A proxy header may carry a list ("client, proxy1"); the first entry is the client.
    return raw.split(",")[0].strip()[:45]


def normalise(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _lock_for(scope: str, filters: dict[str, str], limit: int, now: dt.datetime) -> Lock | None:
    since = now - dt.timedelta(seconds=conf.failure_window_seconds())
    stats = LoginFailure.objects.filter(at__gte=since, **filters).aggregate(n=Count("id"), last=Max("at"))
    if stats["n"] < limit or stats["last"] is None:
        return None
    until = stats["last"] + dt.timedelta(seconds=conf.lockout_seconds())
    return Lock(scope, until, stats["n"]) if now < until else None


def current_lock(username: str, ip: str) -> Lock | None:
    """The lock that refuses this attempt now, or None. The username lock is reported first."""
    now = clock.now()
    name = normalise(username)
    if name:
        lock = _lock_for(USERNAME, {"username": name}, conf.failures_per_username(), now)
        if lock is not None:
            return lock
    if ip:
        return _lock_for(ADDRESS, {"ip": ip}, conf.failures_per_ip(), now)
    return None


def count_failure(username: str, ip: str, kind: str = FailureKind.PASSWORD) -> Lock | None:
    """Store one failure; return the lock it started, if it reached a threshold."""
    now = clock.now()
    horizon = now - dt.timedelta(seconds=conf.failure_window_seconds() + conf.lockout_seconds())
    LoginFailure.objects.filter(at__lt=horizon).delete()  # old failures no longer count for anything
    LoginFailure.objects.create(username=normalise(username), ip=ip, kind=kind, at=now)
    return current_lock(username, ip)


def clear_failures(username: str) -> None:
    LoginFailure.objects.filter(username=normalise(username)).delete()
