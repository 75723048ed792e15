"""Results of methods other than the KPI sheet that wait for the Commission's agenda.

The KPI sheets are found by the meeting services themselves; another method's app (ranking)
registers a source here from its AppConfig.ready(). A source returns the results of a cycle that
were submitted to the Commission and are on no live agenda; once the items are created, each
result's `link` records the item on the method's own row (the Commission's models do not know the
method's documents).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bagalau.commission.models import AgendaItem, CommissionMeeting


@dataclass(frozen=True)
class WaitingResult:
    participant: Any  # cycles.Participant
    method: str  # commission.models.ItemMethod value
    result: str
    clause: str
    link: Callable[[AgendaItem], None]


Source = Callable[[Any, int], list[WaitingResult]]  # (body, cycle id) -> results
_SOURCES: list[Source] = []


def register(source: Source) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def waiting(body: Any, cycle_id: int) -> list[WaitingResult]:
    return [r for source in _SOURCES for r in source(body, cycle_id)]


def add_items(meeting: CommissionMeeting, results: list[WaitingResult]) -> list[AgendaItem]:
    """Agenda items for `results`, after the meeting's existing ones, each linked back to its row."""
    start = (AgendaItem.objects.filter(meeting=meeting).order_by("-ordinal").values_list("ordinal", flat=True)
             .first() or 0)
    items = []
    for i, r in enumerate(results, start=1):
        item = AgendaItem.objects.create(
            meeting=meeting, body_id=meeting.body_id, participant=r.participant, sheet=None, method=r.method,
            ordinal=start + i, original_result=r.result, original_clause=r.clause)
        r.link(item)
        items.append(item)
    return items
