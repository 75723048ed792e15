"""A mail "provider" for the worker-crash test: it appends every message it accepts to a log file
(one line per message: its subject), and, when BAGALAU_FAULT_GATE_AT=n is set, hangs before
accepting the n-th message of the run, after writing a marker file, so the test knows the worker is
in the middle of the batch and can kill it there."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

_forever = threading.Event()


class GatedBackend(BaseEmailBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        log = Path(os.environ["BAGALAU_FAULT_MAIL_LOG"])
        gate_at = int(os.environ.get("BAGALAU_FAULT_GATE_AT") or 0)
        sent = 0
        for message in email_messages:
            accepted = len(log.read_text().splitlines()) if log.exists() else 0
            if gate_at and accepted + 1 >= gate_at:
                Path(str(log) + ".blocked").write_text(message.subject)
                _forever.wait()  # the provider hangs; the test kills the worker here
            with log.open("a", encoding="utf-8") as f:
                f.write(message.subject + "\n")
            sent += 1
        return sent
