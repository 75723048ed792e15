"""The login form: Django's, with the lockout said plainly (when to retry) instead of the usual
"wrong username or password"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from bagalau.accounts import throttle
from bagalau.accounts.services.signin import LOCK_ATTR
from bagalau.accounts.services.twofactor import retry_message


class LoginForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        lock = throttle.current_lock(username, throttle.client_ip(self.request))
        if lock is not None:
            raise forms.ValidationError(retry_message(lock), code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            started = getattr(self.request, LOCK_ATTR, None)
            if started is not None:
                raise forms.ValidationError(retry_message(started), code="locked") from None
            raise


class CodeForm(forms.Form):
    code = forms.CharField(label=_("One-time code"), max_length=32, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                                         "autofocus": True}))
