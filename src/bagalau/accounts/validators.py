"""A password rule Django lacks: the password must not contain the username or the person's IIN
(an IIN is printed on documents many colleagues see, so it is no secret)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class IdentityPasswordValidator:
    MIN_PART = 4  # shorter usernames would forbid too many ordinary passwords

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        lowered = password.lower()
        username = (user.get_username() or "").lower() if hasattr(user, "get_username") else ""
        if len(username) >= self.MIN_PART and username in lowered:
            raise ValidationError(_("The password must not contain the username."), code="password_has_username")
        servant = getattr(user, "servant", None) if getattr(user, "pk", None) else None
        iin = getattr(servant, "iin", "") or ""
        if iin and (iin in password or iin[:6] in password):
            raise ValidationError(_("The password must not contain the IIN or the birth date in it."),
                                  code="password_has_iin")

    def get_help_text(self) -> str:
        return _("Your password must not contain your username or your IIN.")
