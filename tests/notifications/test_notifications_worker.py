"""A real background worker delivers: `manage.py db_worker --batch` in its own process, against
its own SQLite file, picks up the delivery task another process enqueued after its commit, and the
mail is written. The same run starts the sweep chain (`ensure_sweeper`) and checks that the
worker's sweep left exactly one next sweep pending, in the future (ensure_sweeper's "already
pending" answer is tested in-process, tests/inbox/test_inbox_scheduling.py).

Everything runs in subprocesses on a temporary database file, so the test's own database is not
involved (and the test is the same whichever database the suite runs on).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

QUEUE_ONE = """
from django.db import transaction
from bagalau.notifications.services import queue
from tests import factories
body = factories.body("Worker test body")
user = factories.user("worker_recipient")
with transaction.atomic():
    n = queue(body=body, recipient=user, channel="email", subject="Worker test reminder",
              text="Delivered by a real db_worker process.", kind="workflow",
              dedupe_key="worker-test-1", language="kk")
print(n.pk)
from django.core.management import call_command
call_command("ensure_sweeper")
"""


def manage(*args: str, env: dict[str, str], timeout: int = 60) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done


def test_a_real_db_worker_process_delivers_and_keeps_one_sweep_pending(tmp_path):
    db_file = tmp_path / "worker.sqlite3"
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_file}",
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "BAGALAU_TEST_MAIL_DIR": str(mail_dir),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    }
    # --skip-checks: the suite runs the system checks elsewhere; here they would only cost time.
    manage("migrate", "--noinput", "-v0", "--skip-checks", env=env)
    queued_id, ensured = manage("shell", "-c", QUEUE_ONE, env=env).stdout.strip().splitlines()[-2:]
    notification_id = int(queued_id)
    assert "enqueued sweep task" in ensured

    with sqlite3.connect(db_file) as con:
        pending = con.execute("SELECT task_path, status FROM django_tasks_database_dbtaskresult").fetchall()
    # Nothing has run yet: the delivery task and the first sweep wait for a worker.
    assert sorted(pending) == [("bagalau.inbox.tasks.sweep", "READY"),
                               ("bagalau.notifications.tasks.deliver_notification", "READY")]
    assert not mail_dir.exists() or not any(mail_dir.iterdir())

    started = dt.datetime.now(dt.UTC)
    manage("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--skip-checks", env=env)

    written = b"".join(p.read_bytes() for p in sorted(mail_dir.iterdir()))
    assert written.count(b"Subject: Worker test reminder") == 1
    assert b"To: worker_recipient@example.kz" in written
    with sqlite3.connect(db_file) as con:
        status, attempts = con.execute("SELECT status, attempts FROM notifications_notification WHERE id = ?",
                                       (notification_id,)).fetchone()
        log = con.execute("SELECT ok FROM notifications_deliveryattempt WHERE notification_id = ?",
                          (notification_id,)).fetchall()
        tasks = con.execute("SELECT task_path, status, run_after FROM django_tasks_database_dbtaskresult "
                            "ORDER BY enqueued_at").fetchall()
    assert (status, attempts) == ("sent", 1)
    assert log == [(1,)]
    finished = {(path, state) for path, state, _ in tasks if state != "READY"}
    assert finished == {("bagalau.notifications.tasks.deliver_notification", "SUCCESSFUL"),
                        ("bagalau.inbox.tasks.sweep", "SUCCESSFUL")}
    # The sweep rescheduled itself: exactly one pending sweep, about BAGALAU_SWEEP_SECONDS ahead.
    ready = [run_after for path, state, run_after in tasks if state == "READY"]
    assert len(ready) == 1
    next_run = dt.datetime.fromisoformat(ready[0]).replace(tzinfo=dt.UTC)
    assert started + dt.timedelta(seconds=200) < next_run < started + dt.timedelta(seconds=600)
