"""`manage.py reset_two_factor USERNAME --reason TEXT`: remove a user's authenticator and recovery
codes (a lost phone); the next sign-in sets up a new one. Audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bagalau.accounts.services.twofactor import reset


class Command(BaseCommand):
    help = "Reset a user's two-factor authentication (lost phone); they enrol again at the next sign-in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="why (kept in the audit trail)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"username: no user {options['username']!r}")
        try:
            reset(user, reason=options["reason"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"two-factor authentication of {user.get_username()} reset")
