"""`./dev.sh bench --quick` runs end to end on PostgreSQL and writes every figure the acceptance
asks for: page throughput and latency percentiles with their ratio to the floor view, both batch
operations with their floors, the PDF throughput with its floor, and the growth exponents."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from bench import report

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.postgres_only]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_quick_benchmark_writes_every_figure(tmp_path):
    server = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres"))
    out = tmp_path / "latest.json"
    run = subprocess.run(
        ["./dev.sh", "bench", "--quick", "--out", str(out), "--prefix", "test_bench", "--port", str(_free_port())],
        cwd=ROOT, env={**os.environ, "BAGALAU_BENCH_PG": server}, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["quick"] is True
    assert "targets" in run.stdout and "growth exponents" in run.stdout

    national = result["national"]
    assert national["servants"] == 2000 and national["bodies"] > 50
    assert national["pages"]["floor"]["per_second"] > 0
    for name in report.PAGES:
        page = national["pages"][name]
        assert page is not None, f"{name} was not measured"
        assert page["requests"] > 0 and page["errors"] == 0, (name, page)
        for figure in ("per_second", "p50_ms", "p95_ms", "p99_ms", "ratio_to_floor"):
            assert page[figure] > 0, (name, figure)
        assert page["p50_ms"] <= page["p95_ms"] <= page["p99_ms"]
    for op in report.BATCH:
        batch = national["batch"][op]
        assert batch["seconds"] > 0 and batch["floor_seconds"] > 0 and batch["ratio_to_floor"] > 0
        assert batch["rows"] == batch["floor_rows"] > 0, (op, batch)
    assert national["pdf"]["sheet_per_second"] > 0 and national["pdf"]["floor_per_second"] > 0
    assert national["pdf"]["sheet_pages"] >= 1, national["pdf"]
    # The annual cycle the data set holds includes the specialists' ranking lists and the 360 answers.
    for run_figures in result["runs"]:
        rows = run_figures["rows"]
        for key in ("ranking_lists", "ranking_entries", "ranking_signatures", "surveys360", "raters360",
                    "responses360"):
            assert rows[key] > 0, (run_figures["servants"], key, rows)
        assert rows["ranking_entries"] > rows["ranking_lists"] and rows["responses360"] <= rows["raters360"]
    assert national["database_bytes"] > 0

    assert [r["servants"] for r in result["runs"]] == [200, 1000, 2000]
    assert list(result["growth"]) == ["200->1000", "1000->2000"]
    for step in result["growth"].values():
        for key in ("launch", "results", "launch_floor", "results_floor", "pdf_sheet",
                    *(f"page_{name}" for name in report.PAGES)):
            assert isinstance(step[key], float), (key, step)
    assert set(result["targets"]) >= {"results_ratio", "launch_growth", "results_growth",
                                      *(f"page_{n}_ratio" for n in report.MAIN_PAGES),
                                      *(f"page_{n}_growth" for n in report.MAIN_PAGES)}
