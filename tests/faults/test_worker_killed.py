"""A background worker killed with SIGKILL in the middle of a batch loses nothing and sends
nothing twice.

A real `manage.py db_worker` process works through N delivery tasks against its own SQLite file;
the mail provider (gated_mail.py) hangs before accepting message k, so the worker is known to be
mid-batch (k-1 messages accepted, message k claimed, the rest waiting), and the test kills the
process group with SIGKILL. A new worker then runs the batch to its end, and the sweep (as the
periodic task would, once the claim timeout has passed) takes back the message whose worker died.
Every message must then have been accepted by the provider exactly once and be "sent".
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
N = 12
GATE_AT = 5

QUEUE_BATCH = f"""
from django.db import transaction
from bagalau.notifications.services import queue
from tests import factories
body = factories.body("Fault test body")
with transaction.atomic():
    for i in range(1, {N} + 1):
        user = factories.user(f"fault_recipient_{{i}}")
        queue(body=body, recipient=user, channel="email", subject=f"Fault test message {{i}}",
              text="Sent by a worker that will be killed.", kind="workflow", dedupe_key=f"fault-{{i}}",
              language="kk")
"""

SWEEP_LATER = """
import datetime as dt
from django.utils import timezone
from bagalau.notifications import conf
from bagalau.notifications.services import retry_due
print(retry_due(now=timezone.now() + conf.claim_timeout() + dt.timedelta(minutes=1)))
"""


def _env(tmp_path: Path, gate_at: int) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
            "BAGALAU_FAULT_MAIL_LOG": str(tmp_path / "accepted.log"), "BAGALAU_FAULT_GATE_AT": str(gate_at),
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}


def manage(*args: str, env: dict[str, str], timeout: int = 120) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


WORKER = ("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--skip-checks")


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Wait until the worker reaches the gate (an event, not a duration: the deadline only stops a
    broken run from hanging the suite)."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, f"the worker ended before reaching the gate:\n{proc.stderr.read()}"
        assert time.monotonic() < deadline, "the worker never reached the gate"
        time.sleep(0.05)


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(sql).fetchall()


# A real worker process on its own database: about a minute, so it runs in the slow step of CI.
@pytest.mark.slow
def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(tmp_path):
    db, log = tmp_path / "worker.sqlite3", tmp_path / "accepted.log"
    manage("migrate", "--noinput", "-v0", "--skip-checks", env=_env(tmp_path, 0))
    manage("shell", "-c", QUEUE_BATCH, env=_env(tmp_path, 0))
    assert len(_rows(db, "SELECT id FROM django_tasks_database_dbtaskresult WHERE status = 'READY'")) == N

    worker = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), *WORKER], cwd=ROOT,
                              env=_env(tmp_path, GATE_AT), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, start_new_session=True)
    try:
        _wait_for(Path(str(log) + ".blocked"), worker)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # the group this test started, by its id
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    accepted = log.read_text().splitlines()
    assert len(accepted) == GATE_AT - 1  # mid-batch: some sent, one claimed, the rest waiting
    statuses = dict(_rows(db, "SELECT status, COUNT(*) FROM notifications_notification GROUP BY status"))
    assert statuses == {"sent": GATE_AT - 1, "sending": 1, "queued": N - GATE_AT}

    manage(*WORKER, env=_env(tmp_path, 0))  # a new worker finishes the batch
    assert dict(_rows(db, "SELECT status, COUNT(*) FROM notifications_notification GROUP BY status")) == {
        "sent": N - 1, "sending": 1}
    manage("shell", "-c", SWEEP_LATER, env=_env(tmp_path, 0))  # the periodic sweep, after the claim timeout

    accepted = log.read_text().splitlines()
    expected = [f"Fault test message {i}" for i in range(1, N + 1)]
    assert sorted(accepted) == sorted(expected), "every message accepted exactly once"
    rows = _rows(db, "SELECT status, attempts FROM notifications_notification ORDER BY id")
    assert [s for s, _ in rows] == ["sent"] * N
    # The interrupted delivery is on record as a failed attempt before the one that succeeded.
    assert sorted(a for _, a in rows) == [1] * (N - 1) + [2]
    interrupted = _rows(db, "SELECT error FROM notifications_deliveryattempt WHERE ok = 0")
    assert len(interrupted) == 1 and "interrupted" in interrupted[0][0]
