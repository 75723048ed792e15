"""`manage.py load_demo`: create the demo bodies and logins (see bagalau.orgs.demo).

`./dev.sh run` calls it on a new database. Running it again is harmless: it finds the demo body by
its BIN and changes nothing. There is no `--reset`: the audit trail cannot be deleted, so the way
back to a clean demo is a new database.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bagalau.orgs.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo state bodies, their staff and a login for every role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_demo()
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if not result.created:
            self.stdout.write(_("Demo already loaded: %(body)s (BIN %(bin)s). Nothing changed.")
                              % {"body": result.body.name_kk, "bin": result.body.bin})
            return
        count = result.body.servants.count()
        self.stdout.write(self.style.SUCCESS(
            _("Demo loaded: %(body)s (BIN %(bin)s), %(count)d servants; second body: %(second)s.")
            % {"body": result.body.name_kk, "bin": result.body.bin, "count": count,
               "second": result.second_body.name_kk if result.second_body else "-"}))
        self.stdout.write(_("Run `manage.py demo_logins` to see the logins."))
