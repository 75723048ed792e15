"""A test-only app for the document worker-crash test, installed by worker_settings.py when
BAGALAU_FAULT_RENDER_LOG is set. It wraps the documents service so that

- every render appends a line (form/file name) to that log: the test counts renders;
- with BAGALAU_FAULT_RENDER_GATE_AT=n, the n-th document of the run is stored (its row committed)
  and then the worker hangs before the job records it, after writing a marker file, so the test
  kills the worker at the worst point: a document on record that its job does not know about."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from django.apps import AppConfig

_forever = threading.Event()


def _log() -> Path:
    return Path(os.environ["BAGALAU_FAULT_RENDER_LOG"])


class GatedRenderConfig(AppConfig):
    name = "tests.faults"
    label = "faults_gated_render"

    def ready(self) -> None:
        from bagalau.documents import services

        real_render, real_generate = services.render, services.generate
        generated: list[int] = []

        def render(form: Any, data: dict[str, Any], fmt: str) -> bytes:
            with _log().open("a", encoding="utf-8") as f:
                f.write(f"{form.code}/{data['filename']}.{fmt}\n")
            return real_render(form, data, fmt)

        def generate(*args: Any, **kwargs: Any) -> Any:
            doc = real_generate(*args, **kwargs)
            generated.append(doc.pk)
            gate_at = int(os.environ.get("BAGALAU_FAULT_RENDER_GATE_AT") or 0)
            if gate_at and len(generated) == gate_at:
                Path(str(_log()) + ".blocked").write_text(str(doc.pk))
                _forever.wait()  # stored, not yet recorded in the job: the test kills the worker here
            return doc

        services.render, services.generate = render, generate
