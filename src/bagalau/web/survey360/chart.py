"""The competency profile chart of a 360 report, drawn on the server as inline SVG.

The site's CSP allows no inline script and no inline style, so the chart is plain SVG elements
with presentation attributes (fill, stroke), computed here: one horizontal bar per competency on
the 0..1 scale, a dashed line at the version's training-need threshold, and the score as text.
Screen readers get the same numbers from the table under the chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH = 760
LABEL_W = 330
BAR_H = 18
GAP = 8
TOP = 24
PLOT_W = WIDTH - LABEL_W - 56


@dataclass(frozen=True)
class Bar:
    label: str
    score: float
    y: int
    text_y: int
    width: int
    value_x: int
    need: bool


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    plot_x: int
    plot_w: int
    threshold_x: int | None
    ticks: list[dict[str, Any]]
    width: int = WIDTH


def profile(rows: list[tuple[str, float, bool]], threshold: float | None) -> Chart:
    """rows: (competency name, score 0..1, training need)."""
    bars = []
    for i, (label, score, need) in enumerate(rows):
        y = TOP + i * (BAR_H + GAP)
        width = round(max(0.0, min(1.0, score)) * PLOT_W)
        short = label if len(label) <= 40 else label[:39] + "…"
        bars.append(Bar(short, score, y, y + BAR_H - 4, width, LABEL_W + width + 6, need))
    height = TOP + len(rows) * (BAR_H + GAP) + 20
    ticks = [{"x": LABEL_W + round(t * PLOT_W), "label": f"{t:.2g}"} for t in (0, 0.25, 0.5, 0.75, 1)]
    tx = LABEL_W + round(threshold * PLOT_W) if threshold is not None else None
    return Chart(bars, height, LABEL_W, PLOT_W, tx, ticks)
