"""One size of the benchmark, in its own process and database: generate, launch, grade, print PDFs,
load the pages; write the figures as JSON. `python -m bench` runs it once per size.

    DATABASE_URL=postgres://.../bench_1000 DJANGO_SETTINGS_MODULE=bench.settings \\
        python -m bench.size --servants 1000 --out figures.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench.size")
    p.add_argument("--servants", type=int, required=True)
    p.add_argument("--per-body", type=int, default=33)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--duration", type=float, default=30.0, help="seconds per load measurement")
    p.add_argument("--threads", type=int, default=4, help="concurrent clients of the load test")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--pdfs", type=int, default=20, help="PDFs rendered per PDF measurement")
    p.add_argument("--out", type=Path, required=True)
    return p.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    import django

    django.setup()
    from django.db import connection

    from bench import batch, clock, generate, pdf, probe
    from bench.load import run_load

    pinned = clock.pin()
    figures: dict[str, Any] = {"servants": args.servants}
    t0 = time.perf_counter()
    country = generate.organisation(args.servants, args.per_body, args.seed)
    figures["bodies"] = len(country.bodies)
    figures["generate_org_seconds"] = time.perf_counter() - t0

    figures["launch"] = batch.launch_country(country)
    figures["launch_floor"] = batch.launch_floor()
    probe_body = country.bodies[0]
    t0 = time.perf_counter()
    figures["rows"] = generate.year_of_work(country, args.seed, probe_body.pk)
    figures["rows"].update(generate.commission(country, args.seed, probe_body.pk))
    figures["generate_year_seconds"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    figures["rows"].update(generate.rankings(country, args.seed, probe_body.pk))
    figures["rows"].update(generate.survey360(country, args.seed))
    figures["generate_assessments_seconds"] = time.perf_counter() - t0

    figures["results"] = batch.results_country(pinned.today())
    figures["results_floor"] = batch.results_floor()
    the_probe = probe.prepare(probe_body, country.cycles[probe_body.pk], country.hr[probe_body.pk], pinned)
    figures["pdf"] = pdf.measure(the_probe, args.pdfs)
    # The generator and the batch operations have just written the country in bulk: vacuum it and
    # write it out to disk now, so that the database's own after-work (autovacuum of the new rows,
    # the checkpoint flushing them) does not run during the page measurements and land on
    # whichever call happens to be measured then (it fell on the writes' commits).
    with connection.cursor() as cur:  # Django's autocommit: VACUUM cannot run in a transaction
        cur.execute("VACUUM (ANALYZE)")
        cur.execute("CHECKPOINT")
    connection.close()
    figures["load"] = run_load(the_probe, duration=args.duration, threads=args.threads, workers=args.workers,
                               port=args.port)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_database_size(current_database())")
        figures["database_bytes"] = int(cur.fetchone()[0])
        cur.execute("SELECT relname, pg_total_relation_size(relid) FROM pg_catalog.pg_statio_user_tables "
                    "ORDER BY 2 DESC LIMIT 10")
        figures["largest_tables"] = {r[0]: int(r[1]) for r in cur.fetchall()}
    args.out.write_text(json.dumps(figures, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
