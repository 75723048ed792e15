"""From the per-size figures to the result: ratios, growth exponents, targets, and the table.

The growth exponent between two sizes is log(t2/t1) / log(n2/n1): 1 is linear, 0 flat, 2
quadratic. Batch operations are fitted on their seconds, pages on their median latency.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

MAIN_PAGES = ("inbox", "cycle_board", "sheet_submit", "commission_vote")
PAGES = ("inbox", "cycle_board", "api_inbox", "api_cycle_board", "sheet_submit", "commission_vote")
BATCH = ("launch", "results")
# The acceptance targets, each a ratio measured in the same run. A growth exponent is read with a
# tolerance: timings on a shared 2-core machine move by a few per cent between runs.
TARGETS = {"page_ratio_min": 0.30, "results_ratio_max": 5.0, "batch_exponent_max": 1.10,
           "page_exponent_max": 0.20}


def exponent(n1: float, t1: float, n2: float, t2: float) -> float | None:
    if min(n1, n2, t1, t2) <= 0 or n1 == n2:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def _page(load: dict[str, Any], name: str) -> dict[str, Any] | None:
    figures = load.get(name)
    if not figures or not figures.get("requests"):
        return None
    return {k: round(figures[k], 3) for k in ("per_second", "p50_ms", "p95_ms", "p99_ms", "ratio_to_floor")
            if k in figures} | {"errors": figures["errors"], "requests": figures["requests"]}


def summary(run: dict[str, Any]) -> dict[str, Any]:
    load = run["load"]
    out: dict[str, Any] = {
        "servants": run["servants"], "bodies": run["bodies"], "rows": run["rows"],
        "database_bytes": run["database_bytes"], "largest_tables": run["largest_tables"],
        "pages": {"floor": _page(load, "floor"), **{name: _page(load, name) for name in PAGES}},
        "batch": {}, "pdf": None,
        "generate_seconds": round(run["generate_org_seconds"] + run["generate_year_seconds"]
                                  + run.get("generate_assessments_seconds", 0.0), 2),
        "generate_assessments_seconds": round(run.get("generate_assessments_seconds", 0.0), 2),
    }
    for op in BATCH:
        real, floor = run[op], run[f"{op}_floor"]
        out["batch"][op] = {"seconds": round(real["seconds"], 3), "rows": real["rows"],
                            "floor_seconds": round(floor["seconds"], 4), "floor_rows": floor["rows"],
                            "ratio_to_floor": round(real["seconds"] / floor["seconds"], 2)}
    pdf = run["pdf"]
    if pdf.get("sheet"):
        out["pdf"] = {"sheet_per_second": round(pdf["sheet"]["per_second"], 2),
                      "sheet_seconds_each": round(pdf["sheet"]["seconds"] / pdf["sheet"]["documents"], 4),
                      "sheet_pages": pdf["sheet"]["pages"],
                      "floor_per_second": round(pdf["floor"]["per_second"], 2),
                      "ratio_to_floor": round(pdf["ratio"], 3), "document": pdf.get("document", "")}
    return out


def growth(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Exponents between consecutive sizes."""
    out: dict[str, Any] = {}
    for a, b in zip(runs, runs[1:], strict=False):
        key = f"{a['servants']}->{b['servants']}"
        step: dict[str, Any] = {}
        for op in BATCH:
            step[op] = _round(exponent(a["servants"], a["batch"][op]["seconds"], b["servants"],
                                       b["batch"][op]["seconds"]))
            step[f"{op}_floor"] = _round(exponent(a["servants"], a["batch"][op]["floor_seconds"], b["servants"],
                                                  b["batch"][op]["floor_seconds"]))
        for name in PAGES:
            pa, pb = a["pages"].get(name), b["pages"].get(name)
            step[f"page_{name}"] = _round(exponent(a["servants"], pa["p50_ms"], b["servants"], pb["p50_ms"])
                                          if pa and pb else None)
        if a["pdf"] and b["pdf"]:
            step["pdf_sheet"] = _round(exponent(a["servants"], a["pdf"]["sheet_seconds_each"], b["servants"],
                                                b["pdf"]["sheet_seconds_each"]))
        step["database_bytes"] = _round(exponent(a["servants"], a["database_bytes"], b["servants"],
                                                 b["database_bytes"]))
        out[key] = step
    return out


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def targets(national: dict[str, Any], last_step: dict[str, Any] | None) -> dict[str, Any]:
    checks: dict[str, Any] = {}
    for name in MAIN_PAGES:
        page = national["pages"].get(name)
        ratio = page["ratio_to_floor"] if page else None
        checks[f"page_{name}_ratio"] = {"value": ratio, "target": f">= {TARGETS['page_ratio_min']}",
                                        "met": ratio is not None and ratio >= TARGETS["page_ratio_min"]}
    ratio = national["batch"]["results"]["ratio_to_floor"]
    checks["results_ratio"] = {"value": ratio, "target": f"<= {TARGETS['results_ratio_max']}",
                               "met": ratio <= TARGETS["results_ratio_max"]}
    if last_step is not None:
        for op in BATCH:
            e = last_step[op]
            checks[f"{op}_growth"] = {"value": e, "target": f"<= {TARGETS['batch_exponent_max']}",
                                      "met": e is not None and e <= TARGETS["batch_exponent_max"]}
        for name in MAIN_PAGES:
            e = last_step.get(f"page_{name}")
            checks[f"page_{name}_growth"] = {"value": e, "target": f"<= {TARGETS['page_exponent_max']}",
                                             "met": e is not None and e <= TARGETS["page_exponent_max"]}
    return checks


def build(raw: list[dict[str, Any]], *, quick: bool, settings: dict[str, Any]) -> dict[str, Any]:
    runs = [summary(r) for r in raw]
    steps = growth(runs)
    national = runs[-1]
    last = steps[list(steps)[-1]] if steps else None
    return {"quick": quick, "settings": settings, "national": national, "growth": steps,
            "targets": targets(national, last), "runs": runs}


def table(result: dict[str, Any]) -> str:
    n = result["national"]
    lines = [f"bagalau benchmark{' (QUICK: small sizes, indicative only)' if result['quick'] else ''}: "
             f"{n['servants']:,} servants in {n['bodies']:,} bodies, database {n['database_bytes'] / 2**20:,.0f} MiB",
             *textwrap.wrap(f"generated in {n['generate_seconds']:.1f} s (ranking lists and 360 surveys "
                            f"{n['generate_assessments_seconds']:.1f} s): "
                            + ", ".join(f"{name.replace('_', ' ')} {count:,}" for name, count in n["rows"].items()),
                            110, subsequent_indent="  "),
             "", f"{'page / call':<18}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'x floor':>9}"]
    for name, page in n["pages"].items():
        if page:
            lines.append(f"{name:<18}{page['per_second']:>9.1f}{page['p50_ms']:>9.1f}{page['p95_ms']:>9.1f}"
                         f"{page['p99_ms']:>9.1f}{page.get('ratio_to_floor', 1.0):>9.2f}")
    lines += ["", f"{'batch':<18}{'seconds':>9}{'rows':>10}{'floor s':>9}{'x floor':>9}"]
    for op, b in n["batch"].items():
        lines.append(f"{op:<18}{b['seconds']:>9.2f}{b['rows']:>10,}{b['floor_seconds']:>9.3f}{b['ratio_to_floor']:>9.1f}")
    if n["pdf"]:
        p = n["pdf"]
        lines += ["", f"PDF KPI sheet {p['sheet_per_second']:.1f}/s, one-line floor "
                      f"{p['floor_per_second']:.1f}/s, ratio {p['ratio_to_floor']:.3f}"]
    lines += ["", "growth exponents (1 = linear, 0 = flat)"]
    for step, values in result["growth"].items():
        shown = ", ".join(f"{k} {v}" for k, v in values.items() if v is not None)
        lines.append(f"  {step}: {shown}")
    lines += ["", "targets"]
    for name, check in result["targets"].items():
        lines.append(f"  {'ok  ' if check['met'] else 'MISS'} {name:<28} {check['value']} (target {check['target']})")
    return "\n".join(lines)


def markdown(result: dict[str, Any]) -> str:
    """The figures of a run as the Markdown tables docs/scaling.md quotes."""
    runs = result["runs"]
    sizes = " | ".join(f"{r['servants']:,}" for r in runs)
    lines = [f"| servants | {sizes} |", "|---|" + "---:|" * len(runs),
             "| bodies | " + " | ".join(f"{r['bodies']:,}" for r in runs) + " |",
             "| database | " + " | ".join(f"{r['database_bytes'] / 2**20:,.0f} MiB" for r in runs) + " |"]
    for key in runs[-1]["rows"]:
        lines.append(f"| {key.replace('_', ' ')} | " + " | ".join(f"{r['rows'].get(key, 0):,}" for r in runs) + " |")
    for name in ("floor", *PAGES):
        cells = []
        for r in runs:
            page = r["pages"].get(name)
            cells.append("-" if not page else f"{page['per_second']:.1f}/s, p50 {page['p50_ms']:.0f} ms, "
                         f"p99 {page['p99_ms']:.0f} ms" + (f", x{page['ratio_to_floor']:.2f}"
                                                          if "ratio_to_floor" in page else ""))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for op in BATCH:
        lines.append(f"| {op} | " + " | ".join(
            f"{r['batch'][op]['seconds']:.2f} s for {r['batch'][op]['rows']:,} rows, floor "
            f"{r['batch'][op]['floor_seconds']:.3f} s, x{r['batch'][op]['ratio_to_floor']:.1f}" for r in runs) + " |")
    lines.append("| PDF KPI sheet | " + " | ".join(
        "-" if not r["pdf"] else f"{r['pdf']['sheet_per_second']:.2f}/s, floor {r['pdf']['floor_per_second']:.1f}/s, "
        f"x{r['pdf']['ratio_to_floor']:.3f}" for r in runs) + " |")
    lines += ["", "| growth exponent | " + " | ".join(result["growth"]) + " |",
              "|---|" + "---:|" * len(result["growth"])]
    keys = list(next(iter(result["growth"].values()), {}))
    for key in keys:
        lines.append(f"| {key} | " + " | ".join(str(step.get(key)) for step in result["growth"].values()) + " |")
    lines += ["", "| target | value | met |", "|---|---:|---|"]
    for name, check in result["targets"].items():
        lines.append(f"| {name} ({check['target']}) | {check['value']} | {'yes' if check['met'] else 'no'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    import json
    import sys

    print(markdown(json.loads(open(sys.argv[1], encoding="utf-8").read())))
