"""`python -m bench [--quick] [--sizes 1000,10000,100000] [--out FILE]`: the whole benchmark.

For each size it clones a freshly migrated template database (`bench_<size>` on the server of
BAGALAU_BENCH_PG, default postgres://postgres@127.0.0.1:5432), runs `bench.size` in a child
process against it, then fits the growth exponents, checks the targets, writes the figures as
JSON and prints a short table. The databases are dropped afterwards unless --keep is given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import dbs, report

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench" / "results" / "latest.json"
FULL = {"sizes": [1000, 10000, 100000], "duration": 30.0, "pdfs": 10}
QUICK = {"sizes": [200, 1000, 2000], "duration": 4.0, "pdfs": 2}


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="./dev.sh bench", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small sizes and short windows (a few minutes)")
    p.add_argument("--sizes", help="servants per run, comma-separated (default 1000,10000,100000)")
    p.add_argument("--per-body", type=int, default=33, help="servants per state body (100,000 / 3,000)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--duration", type=float, help="seconds per load measurement (30; quick 4)")
    p.add_argument("--threads", type=int, default=4, help="concurrent load clients")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    p.add_argument("--pdfs", type=int, help="PDFs per PDF measurement (10; quick 2)")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--prefix", default="bench", help="database name prefix")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--keep", action="store_true", help="keep the generated databases")
    return p.parse_args(argv)


def run_size(args: argparse.Namespace, template: str, servants: int, duration: float, pdfs: int) -> dict[str, Any]:
    name = f"{args.prefix}_{servants}"
    dbs.recreate(name, template=template)
    out = args.out.parent / f".{name}.json"
    env = {**os.environ, "DATABASE_URL": dbs.url_for(name), "DJANGO_SETTINGS_MODULE": "bench.settings",
           "BAGALAU_DEBUG": "0"}
    sys.stderr.write(f"\n== {servants:,} servants (database {name})\n")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bench.size", "--servants", str(servants), "--per-body",
                    str(args.per_body), "--seed", str(args.seed), "--duration", str(duration), "--threads",
                    str(args.threads), "--workers", str(args.workers), "--port", str(args.port), "--pdfs", str(pdfs),
                    "--out", str(out)], check=True, env=env, cwd=ROOT)
    figures = json.loads(out.read_text())
    out.unlink()
    figures["wall_seconds"] = time.perf_counter() - started
    if not args.keep:
        dbs.drop(name)
    return figures


def main(argv: list[str]) -> int:
    args = parse(argv)
    preset = QUICK if args.quick else FULL
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else preset["sizes"]
    duration = args.duration or preset["duration"]
    pdfs = args.pdfs or preset["pdfs"]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    sys.stderr.write("== migrating the template database\n")
    template = dbs.migrated_template(args.prefix)
    try:
        runs = [run_size(args, template, n, duration, pdfs) for n in sorted(sizes)]
    finally:
        dbs.drop(template)
    result = report.build(runs, quick=args.quick, settings={
        "sizes": sorted(sizes), "per_body": args.per_body, "seed": args.seed, "duration": duration,
        "threads": args.threads, "workers": args.workers, "pdfs": pdfs, "cpus": os.cpu_count()})
    result["generated_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    result["total_seconds"] = time.perf_counter() - started
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(report.table(result))
    print(f"\nfigures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
