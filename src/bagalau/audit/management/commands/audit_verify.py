"""`manage.py audit_verify`: recompute the audit hash chain and say whether it is intact.

Exit status 0 when intact; otherwise a CommandError (exit 1) naming the first broken event, so a
cron job or CI step fails loudly.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from bagalau.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Recompute the audit trail's hash chain; exit non-zero naming the first broken event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias to verify")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain(using=options["database"])
        if options["json"]:
            self.stdout.write(json.dumps(dataclasses.asdict(result), ensure_ascii=False))
        elif result.ok:
            self.stdout.write(f"audit chain intact: {result.checked} events")
        if not result.ok:
            raise CommandError(
                f"audit chain broken at event {result.first_broken_id} "
                f"({result.checked} events intact before it): {result.reason}"
            )
