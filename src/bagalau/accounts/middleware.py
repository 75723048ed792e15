"""Two request guards that run after authentication.

`SessionExpiryMiddleware` ends a session that was idle too long or is older than its absolute
lifetime (the settings BAGALAU_SESSION_IDLE_SECONDS and BAGALAU_SESSION_ABSOLUTE_SECONDS); the
idle mark is written at most once a minute, so reading pages does not write a session each time.

`TwoFactorMiddleware` stops a user who must use a second factor (accounts.policy) and has not
passed it in this session from reaching any page or API call but the set-up and verification
pages, logout, language switch and static files. Pages redirect there (htmx requests get an
HX-Redirect); the API answers 403 with JSON naming the missing step.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from bagalau.accounts import clock, conf, policy
from bagalau.accounts.services import twofactor
from bagalau.accounts.services.signin import SESSION_AUTH_AT, SESSION_SEEN_AT

SEEN_RESOLUTION_SECONDS = 60
API_PREFIX = "/api/"

ENROL = "enrol"
VERIFY = "verify"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _login_redirect(request: HttpRequest) -> HttpResponse:
    target = f"{reverse('web:login')}?{urlencode({'next': request.get_full_path()})}"
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(target)
    return HttpResponseRedirect(target)


class SessionExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request)
            if expired:
                request._bagalau_logout_reason = expired  # type: ignore[attr-defined]
                logout(request)
                if _is_api(request):
                    return JsonResponse({"detail": _("Your session has expired. Sign in again."), "errors": []},
                                        status=401)
                messages.info(request, _("Your session has expired. Sign in again."))
                return _login_redirect(request)
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest) -> str:
        session = request.session
        now = clock.now().timestamp()
        started = session.get(SESSION_AUTH_AT)
        if started is None:
            session[SESSION_AUTH_AT] = started = now
        seen = session.get(SESSION_SEEN_AT, started)
        if now - started > conf.session_absolute_seconds():
            return "session_lifetime"
        if now - seen > conf.session_idle_seconds():
            return "idle_timeout"
        if now - seen >= SEEN_RESOLUTION_SECONDS or SESSION_SEEN_AT not in session:
            session[SESSION_SEEN_AT] = now
        return ""


def _exempt_paths() -> tuple[str, ...]:
    return (
        reverse("web:two_factor_enrol"),
        reverse("web:two_factor_verify"),
        reverse("web:logout"),
        reverse("web:login"),
        reverse("set_language"),
        "/" + settings.STATIC_URL.lstrip("/"),
    )


def missing_step(request: HttpRequest) -> str:
    """"enrol" or "verify" when this session still owes the second factor, else ""."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not conf.require_2fa():
        return ""
    if twofactor.is_verified(request) or not policy.requires_second_factor(user):
        return ""
    return VERIFY if twofactor.has_confirmed_device(user) else ENROL


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not conf.require_2fa() or request.path.startswith(_exempt_paths()):
            return self.get_response(request)
        step = missing_step(request)
        if not step:
            return self.get_response(request)
        if _is_api(request):
            detail = (_("Two-factor authentication must be set up before using the API.") if step == ENROL
                      else _("Enter your one-time code before using the API."))
            return JsonResponse({"detail": detail, "step": step,
                                 "errors": [{"field": "two_factor", "message": detail}]}, status=403)
        name = "web:two_factor_enrol" if step == ENROL else "web:two_factor_verify"
        target = f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        return HttpResponseRedirect(target)
