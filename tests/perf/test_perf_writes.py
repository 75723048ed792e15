"""The two write calls measured under load (bench/load.py), the KPI sheet save and the commission
vote, run the same number of SQL queries however much their document holds: no query per KPI
result written, per evidence file, signature or return of the sheet, per member of the sitting or
per vote already cast. Each also stays under a ceiling, so that a lookup added back to the path
(a second read of the locked row, a role query per check, the answer read again after the write)
shows here and not only in the benchmark.

A call is made once before it is counted where a first call would fill the per-process caches
(methodology versions, translations).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bagalau.audit.models import AuditEvent
from bagalau.commission.models import Vote
from bagalau.cycles import services
from bagalau.cycles.models import KpiSheet, SheetState
from tests.api_commission.apicomm import BASE, api, form, item_id, ok, open_with, schedule, vote
from tests.api_cycles.support import PDF, Api, approved_sheet, build_org, launched
from tests.clock import install_fake_clock
from tests.commission import kit

pytestmark = pytest.mark.django_db

YEAR = 2024
# Session, user, the body middleware's role lookups, then the call itself. Measured: 15 for the
# save of a sheet never signed (17 once it was signed and returned: its signatures and returns are
# read), 11 for a repeated vote and 15 for a new one. The ceilings leave room for a lookup or two,
# not for a query per row.
SHEET_SAVE_CEILING = 19
VOTE_CEILING = 17


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# -- the KPI sheet save --------------------------------------------------------------------------


def _results(changed: int, text: str, achieved: int = 5) -> list[dict[str, Any]]:
    """All five results, of which the first `changed` get the new evidence text."""
    return [{"number": n, "achieved": n <= achieved, "evidence_text": text if n <= changed else "Report No. 1"}
            for n in range(1, 6)]


class SheetSaves:
    """PUT /api/cycles/sheets/{id} as the direct manager, counted."""

    def __init__(self, sheet: KpiSheet, manager: Any) -> None:
        self.sheet_id = sheet.pk
        self.manager = Api(manager, csrf=True)
        self.manager.client.cookies["csrftoken"] = "c" * 32
        self.version = sheet.version

    def save(self, results: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
        with CaptureQueriesContext(connection) as ctx:
            r = self.manager.client.put(f"/api/cycles/sheets/{self.sheet_id}",
                                        {"results": results, "expected_version": self.version},
                                        content_type="application/json", HTTP_X_CSRFTOKEN="c" * 32)
        assert r.status_code == 200, r.content
        answer = r.json()
        self.version = answer["version"]
        return len(ctx.captured_queries), answer


def test_a_sheet_save_costs_the_same_for_one_kpi_or_five_files_signatures_and_returns(body, hr, monkeypatch):
    clock = install_fake_clock(monkeypatch, dt.date(YEAR, 1, 10))
    org = build_org(body, YEAR)
    cycle = launched(org, hr)
    sheet = approved_sheet(org, cycle)
    manager, reviewer = sheet.participant.direct_manager.user, sheet.participant.sheet_reviewer.user
    clock.day = dt.date(YEAR, 12, 20)
    saves = SheetSaves(sheet, manager)
    saves.save(_results(5, "Report No. 1"))  # warm: every result filled in

    one, answer = saves.save(_results(1, "Report No. 2"))
    assert [o["evidence_text"] for o in answer["outcomes"]] == ["Report No. 2"] + ["Report No. 1"] * 4
    five, answer = saves.save(_results(5, "Report No. 3", achieved=3))
    assert [o["achieved"] for o in answer["outcomes"]] == [True, True, True, False, False]
    assert answer["rating"]["achieved_count"] == 3

    for n in (1, 2, 3):
        r = Api(manager).upload(saves.sheet_id, name=f"report-{n}.pdf", data=PDF, number=n,
                                 expected_version=saves.version)
        assert r.status_code == 201, r.content
        saves.version = r.json()["sheet_version"]
    with_files, answer = saves.save(_results(5, "Report No. 4"))
    assert sum(len(o["files"]) for o in answer["outcomes"]) == 3
    assert one == five == with_files, (one, five, with_files)

    def sign_and_return() -> None:
        signed = services.sign_sheet(manager, body, saves.sheet_id, expected_version=saves.version)
        returned = services.return_sheet(reviewer, body, saves.sheet_id, expected_version=signed.version,
                                         grounds=["insufficient_evidence"], reason="KPI 5 has no document")
        saves.version = returned.version

    sign_and_return()
    returned_once, answer = saves.save(_results(2, "Report No. 5"))
    assert answer["times_returned"] == 1 and len(answer["returns"]) == 1 and len(answer["signatures"]) == 1
    sign_and_return()
    edits = AuditEvent.objects.filter(object_id=str(saves.sheet_id), action="cycles.sheet.edit")
    before = edits.count()
    returned_twice, answer = saves.save(_results(5, "Report No. 6"))
    assert answer["times_returned"] == 2 and len(answer["returns"]) == 2 and len(answer["signatures"]) == 2
    assert returned_once == returned_twice, (returned_once, returned_twice)
    # A signed and returned sheet reads its signatures and its returns for the answer: two queries
    # more than a sheet never signed (which has neither).
    assert returned_once == one + 2, (one, returned_once)
    assert returned_twice <= SHEET_SAVE_CEILING, returned_twice

    # The answer is the sheet as it is stored, and every save is audited.
    assert answer == saves.manager.get(f"/api/cycles/sheets/{saves.sheet_id}").json()
    stored = KpiSheet.objects.get(pk=saves.sheet_id)
    assert stored.state == SheetState.RETURNED and stored.version == answer["version"]
    assert [o.evidence_text for o in stored.outcomes.order_by("number")] == ["Report No. 6"] * 5
    assert edits.count() == before + 1


# -- the commission vote -------------------------------------------------------------------------


def _vote_queries(world: kit.World, members: tuple[str, ...]) -> tuple[int, int]:
    """A sitting in session with every member present. Every member but the last votes on the first
    item, then the last one votes (a new vote: its row and audit event are written) and votes the
    same again (nothing to write); the queries of those two calls."""
    form(world, members)
    meeting = open_with(world, schedule(world), members)
    item = item_id(world, meeting, "head_b")
    first, *others, last = members
    ok(vote(world, item_id(world, meeting, "head_c"), first, "approve"))  # warm
    for m in (first, *others):
        ok(vote(world, item, m, "approve"))
    voter = api(world, last)
    counted = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            tally = ok(voter.post(f"{BASE}/items/{item}/vote", {"choice": "revise", "corrected_result": "PROPER",
                                                                  "reason": "Evidence weaker than rated"}))
        counted.append(len(ctx.captured_queries))
        assert tally["approve"] == len(members) - 1 and tally["revise"] == 1 and tally["missing"] == []
        fresh = ok(api(world, "hr").get(f"{BASE}/items/{item}"))
        assert tally == fresh, repr((tally["votes"][-1], fresh["votes"][-1]))
    assert Vote.objects.filter(item_id=item).count() == len(members)
    return counted[0], counted[1]


def test_a_vote_costs_the_same_for_five_or_nine_members(db, body, hr, other_body, other_hr, monkeypatch):
    clock = install_fake_clock(monkeypatch, dt.date(2024, 1, 10))
    five = _vote_queries(kit.build(body, hr, clock), ("m1", "m2", "m3", "m4", "m5"))
    nine = _vote_queries(kit.build(other_body, other_hr, clock),
                         ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "ext"))
    assert five == nine, (five, nine)
    new, repeated = five
    # A repeated vote writes nothing: no row, no audit event.
    assert repeated < new <= VOTE_CEILING, five
