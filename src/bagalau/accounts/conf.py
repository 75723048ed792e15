"""The sign-in security settings, with their defaults. Read at call time so that
`override_settings` in tests and a changed environment both take effect."""

from __future__ import annotations

from django.conf import settings

# Roles whose holders must use a second factor (orgs.models.Role values). Servants, managers and
# auditors (read-only) sign in with a password; anyone who decides, approves or administers
# needs the second factor. Commission seats and the body's authorized person are added by
# `accounts.policy` from their own records.
DEFAULT_2FA_ROLES = ("hr", "commission", "authorized", "appeal_reviewer", "admin")


def require_2fa() -> bool:
    return bool(getattr(settings, "BAGALAU_REQUIRE_2FA", True))


def two_factor_roles() -> tuple[str, ...]:
    return tuple(getattr(settings, "BAGALAU_2FA_ROLES", DEFAULT_2FA_ROLES))


def failures_per_username() -> int:
    return int(getattr(settings, "BAGALAU_LOGIN_FAILURES_PER_USERNAME", 5))


def failures_per_ip() -> int:
    return int(getattr(settings, "BAGALAU_LOGIN_FAILURES_PER_IP", 20))


def failure_window_seconds() -> int:
    return int(getattr(settings, "BAGALAU_LOGIN_WINDOW_SECONDS", 900))


def lockout_seconds() -> int:
    return int(getattr(settings, "BAGALAU_LOGIN_LOCKOUT_SECONDS", 900))


def session_idle_seconds() -> int:
    return int(getattr(settings, "BAGALAU_SESSION_IDLE_SECONDS", 1800))


def session_absolute_seconds() -> int:
    return int(getattr(settings, "BAGALAU_SESSION_ABSOLUTE_SECONDS", 12 * 3600))


def totp_issuer() -> str:
    return str(getattr(settings, "BAGALAU_TOTP_ISSUER", "Bagalau"))


def client_ip_header() -> str:
    """The request.META key holding the client address: REMOTE_ADDR, or the header the reverse
    proxy sets (e.g. HTTP_X_REAL_IP) when the app runs behind one."""
    return str(getattr(settings, "BAGALAU_CLIENT_IP_HEADER", "REMOTE_ADDR"))
