"""The authentication backend: Django's ModelBackend behind the lockout check, so that the
login page, the admin login and anything else calling `authenticate()` share one throttle."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from bagalau.accounts import throttle
from bagalau.accounts.services.signin import LOCK_ATTR


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        lock = throttle.current_lock(str(username or ""), throttle.client_ip(request))
        if lock is not None:
            if request is not None:
                setattr(request, LOCK_ATTR, lock)
            # PermissionDenied stops authenticate() at once (no other backend is tried).
            raise PermissionDenied("sign-in locked")
        return super().authenticate(request, username=username, password=password, **kwargs)
