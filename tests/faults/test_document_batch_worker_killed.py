"""A worker killed with SIGKILL in the middle of a cycle's document batch: the periodic sweep
resumes the job by itself, and every document ends up stored exactly once, in the ZIP once.

A real `manage.py db_worker` process renders the demo cycle's documents (Kazakh, DOCX) against its
own SQLite file. The render gate (gated_render.py) lets the worker store the GATE_AT-th document
and then hangs it before the job records that item, the worst point to die at, and the test kills
the process group there. A new worker started alone does not touch the job (its task is claimed
by the dead worker); a new worker that runs the periodic sweep (BAGALAU_DOCUMENT_BATCH_STALE_SECONDS
set to 0, so the dead worker's last heartbeat is already "silent too long") resumes it: the
interrupted item is found by its unique key, not rendered again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.faults.test_worker_killed import ROOT, WORKER, _rows, _wait_for, manage

GATE_AT = 3

START_BATCH = """
import datetime as dt
import pytest
from bagalau.documents.services import start_batch
from tests.clock import install_fake_clock
from tests.documents import walk
with pytest.MonkeyPatch.context() as mp:
    demo = walk.walk(install_fake_clock(mp, dt.date(2025, 1, 10)))
job = start_batch(walk.user("hr"), demo.body, demo.cycle.pk, languages=["kk"], formats=["docx"])
print(job.pk, job.total)
"""


def _env(tmp_path: Path, *, gate_at: int = 0, stale_seconds: int = 300) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings", "BAGALAU_MEDIA_ROOT": str(tmp_path / "media"),
            "BAGALAU_FAULT_MAIL_LOG": str(tmp_path / "accepted.log"),
            "BAGALAU_FAULT_RENDER_LOG": str(tmp_path / "rendered.log"),
            "BAGALAU_FAULT_RENDER_GATE_AT": str(gate_at),
            "BAGALAU_DOCUMENT_BATCH_STALE_SECONDS": str(stale_seconds),
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}


def _job(db: Path, job_id: int) -> tuple[str, int, int, dict[str, int], str]:
    state, done, total, results, file = _rows(
        db, f"SELECT state, done, total, results, file FROM documents_batchjob WHERE id = {job_id}")[0]
    return state, done, total, json.loads(results), file


# A real worker process on its own database: about a minute, so it runs in the slow step of CI.
@pytest.mark.slow
def test_a_worker_killed_mid_batch_is_resumed_by_the_sweep_and_stores_each_document_once(tmp_path):
    db, rendered = tmp_path / "worker.sqlite3", tmp_path / "rendered.log"
    manage("migrate", "--noinput", "-v0", "--skip-checks", env=_env(tmp_path))
    job_id, total = map(int, manage("shell", "-c", START_BATCH, env=_env(tmp_path)).split()[-2:])
    assert total > GATE_AT + 1

    worker = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), *WORKER], cwd=ROOT,
                              env=_env(tmp_path, gate_at=GATE_AT), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _wait_for(Path(str(rendered) + ".blocked"), worker)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # the group this test started, by its id
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    state, done, _, results, _ = _job(db, job_id)
    # Mid-batch: GATE_AT documents stored, the last of them not yet recorded by the job.
    assert (state, done, len(results)) == ("running", GATE_AT - 1, GATE_AT - 1)
    assert _rows(db, "SELECT COUNT(*) FROM documents_generateddocument") == [(GATE_AT,)]

    manage(*WORKER, env=_env(tmp_path))  # a new worker alone: the dead worker's task stays claimed
    assert _job(db, job_id)[:2] == ("running", GATE_AT - 1)

    manage("ensure_sweeper", env=_env(tmp_path))  # what start-up runs on every deployment
    manage(*WORKER, env=_env(tmp_path, stale_seconds=0))  # the sweep resumes the job, the worker ends it

    state, done, total_after, results, file = _job(db, job_id)
    assert (state, done, total_after) == ("done", total, total)
    docs = _rows(db, "SELECT id, object_id, form, language, format, filename FROM documents_generateddocument")
    assert len(docs) == total, "every item stored exactly once"
    assert len({d[1:5] for d in docs}) == total
    assert sorted(results.values()) == sorted(d[0] for d in docs)
    with zipfile.ZipFile(tmp_path / "media" / file) as archive:
        names = archive.namelist()
    assert sorted(names) == sorted(f"{d[3]}/{d[5]}" for d in docs) and len(set(names)) == total
    lines = rendered.read_text().splitlines()
    assert len(lines) == len(set(lines)) == total, "the interrupted item was not rendered again"
    resumes = _rows(db, "SELECT actor_id, role, payload FROM audit_auditevent WHERE action = 'documents.batch.resume'")
    assert [(actor, role) for actor, role, _ in resumes] == [(None, "system")]
    assert json.loads(resumes[0][2])["done"] == GATE_AT - 1
