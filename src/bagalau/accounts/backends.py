"""The authentication backend: Django's ModelBackend behind the lockout check, so that the
login page, the admin login and anything else calling `authenticate()` share one throttle.

The user of every request is loaded with his servant record (one query, not two): the body
middleware and the page shell need it on every page."""

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

    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("servant").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
