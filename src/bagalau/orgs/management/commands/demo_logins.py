"""`manage.py demo_logins`: print the demo logins, one per role, with the demo password.

It reads the roles from the database (`roles_for`), not from the demo's plan, so what it prints is
what each login can really do. With no demo body it prints a hint and exits 0, because
`./dev.sh run` calls it on every start, demo or not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from bagalau.accounts.conf import require_2fa
from bagalau.accounts.policy import requires_second_factor
from bagalau.orgs.access import roles_for
from bagalau.orgs.demo import DEMO_PASSWORD, LOGINS, demo_body, second_demo_body
from bagalau.orgs.models import Appointment, Role

ROLE_ORDER = list(Role.values)


class Command(BaseCommand):
    help = "Print the demo logins and their password (one per role)."

    def handle(self, *args: Any, **options: Any) -> None:
        body = demo_body()
        if body is None:
            self.stdout.write(_("No demo body on this database. Load it with `manage.py load_demo`."))
            return
        bodies = {"main": body, "second": second_demo_body()}
        users = {u.username: u for u in get_user_model().objects.filter(
            username__in=[s.username for s in LOGINS]).select_related("servant")}
        header = (_("login"), _("password"), _("roles"), _("who"), _("state body"), _("second factor"))
        rows = []
        for spec in LOGINS:
            user = users.get(spec.username)
            target = bodies[spec.body]
            if user is None or target is None:
                continue
            held = roles_for(user, target)
            roles = ", ".join(str(Role(r).label) for r in ROLE_ORDER if r in held)
            rows.append((spec.username, DEMO_PASSWORD, roles, self._who(user, spec.note),
                         _("all bodies") if user.is_superuser else target.name_kk,
                         _("TOTP") if requires_second_factor(user) else "-"))
        self.stdout.write(self._table(header, rows))
        self.stdout.write(_("Sign in at /login/ (the HR back office is at /admin/). Password for all: %(pw)s")
                          % {"pw": DEMO_PASSWORD})
        if require_2fa():
            self.stdout.write(_(
                "Logins marked TOTP set up two-factor authentication at their first sign-in: scan the QR code "
                "with an authenticator app (or type the key shown under it) and enter the 6-digit code; keep the "
                "recovery codes. To run the demo without it, start with BAGALAU_REQUIRE_2FA=0."))

    @staticmethod
    def _who(user: Any, note: Any) -> str:
        servant = getattr(user, "servant", None)
        if servant is None:
            name = user.get_full_name()
            return f"{name} ({note})" if note else name
        current = (Appointment.objects.filter(servant=servant, end__isnull=True)
                   .select_related("position").order_by("-start").first())
        return f"{servant.full_name}, {current.position.title_kk}" if current else servant.full_name

    @staticmethod
    def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
        widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
        line = "+".join("-" * (w + 2) for w in widths)

        def fmt(row: Sequence[str]) -> str:
            return "|".join(f" {str(cell):<{w}} " for cell, w in zip(row, widths, strict=True)).rstrip()

        return "\n".join([fmt(header), line, *(fmt(r) for r in rows)])
