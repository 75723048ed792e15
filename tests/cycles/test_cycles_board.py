"""The cycle board: every participant's stage, due date and overdue flag, counts per stage,
filters and pages, in a number of queries that does not grow with the number of participants."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bagalau.cycles import selectors
from bagalau.orgs.access import forget_roles
from tests import factories
from tests.cycles import flow
from tests.cycles.builders import build_org, person

D = dt.date


def grow(org, total: int) -> None:
    """Add units under 02 (a head and up to three specialists each) until the body has `total` people."""
    n = 0
    while len(org.servants) < total:
        n += 1
        unit = factories.unit(org.body, f"02-9-{n}", parent=org.units["02"])
        person(org, f"uhead{n}", factories.position(unit, f"02-9-{n}-01", head=True, category="E-3"), login=False)
        for k in range(1, 4):
            if len(org.servants) >= total:
                break
            person(org, f"uspec{n}_{k}", factories.position(unit, f"02-9-{n}-{k + 1:02d}"), login=False)


def _board_with(body, hr, clock, total):
    org = build_org(body)
    grow(org, total)
    cycle = flow.launch(org, hr, clock)
    # The same handful of documents moved in both bodies, so every stage kind appears.
    plan = flow.approved_plan(org, cycle, "head_d", "head_c", "head_b")
    flow.submitted_plan(org, cycle, "head_c", "head_b")
    clock.day = D(2024, 12, 20)
    flow.signed_sheet(org, plan, "head_c")
    return org, cycle


def _queries(user, cycle, **kw):
    forget_roles(user)
    user.__dict__.pop("_bagalau_cycle_servant", None)
    with CaptureQueriesContext(connection) as ctx:
        board = selectors.cycle_board(user, cycle, **kw)
    return len(ctx.captured_queries), board


def test_same_number_of_queries_for_10_and_200_participants(body, other_body, hr, other_hr, clock):
    _, small = _board_with(body, hr, clock, 10)
    clock.day = D(2024, 1, 10)
    _, large = _board_with(other_body, other_hr, clock, 200)
    n_small, board_small = _queries(hr, small, per_page=200)
    n_large, board_large = _queries(other_hr, large, per_page=200)
    assert (board_small.total, len(board_small.rows)) == (10, 10)
    assert (board_large.total, len(board_large.rows)) == (200, 200)
    assert n_small == n_large
    assert n_small <= 8


def test_stages_counts_dues_and_filters(org, hr, clock):
    grow(org, 9)
    cycle = flow.launch(org, hr, clock)
    plan = flow.approved_plan(org, cycle, "head_d", "head_c", "head_b")
    flow.submitted_plan(org, cycle, "head_c", "head_b")
    clock.day = D(2024, 12, 20)
    flow.signed_sheet(org, plan, "head_c")
    board = selectors.cycle_board(hr, cycle)
    counts = {k: v for k, v in board.counts.items() if v}
    # chairman blocked; spec + 3 new specialists ranking only; head_b and the new unit head drafting.
    assert counts == {"blocked": 1, "other_methods": 4, "plan_draft": 2, "plan_submitted": 1,
                      "sheet_under_review": 1}
    assert board.total == 9 and board.pages == 1
    rows = {r.participant.servant_id: r for r in board.rows}
    drafting = rows[org.servants["head_b"].pk]
    assert drafting.stage == "plan_draft" and drafting.due_rule == "iwp_due" and drafting.overdue
    assert board.overdue_count == 2  # both plans still in draft long after iwp_due
    review = rows[org.servants["head_d"].pk]
    assert (review.stage, review.sheet_state, review.due_on, review.overdue) == ("sheet_under_review",
                                                                                 "under_review", None, False)
    only = selectors.cycle_board(hr, cycle, {"stage": "plan_draft"})
    assert only.total == 2 and {r.stage for r in only.rows} == {"plan_draft"}
    assert only.counts == board.counts  # the tabs keep their numbers under a stage filter
    overdue = selectors.cycle_board(hr, cycle, {"overdue": True})
    assert overdue.total == 2 and all(r.overdue for r in overdue.rows)
    unit = selectors.cycle_board(hr, cycle, {"unit_id": org.units["02-1-1"].pk})
    assert [r.participant.servant_id for r in unit.rows] == [org.servants["head_d"].pk]
    named = selectors.cycle_board(hr, cycle, {"search": org.servants["spec"].last_name})
    assert [r.participant.servant_id for r in named.rows] == [org.servants["spec"].pk]
    page2 = selectors.cycle_board(hr, cycle, page=2, per_page=4)
    assert (page2.total, page2.pages, len(page2.rows)) == (9, 3, 4)


def test_the_stage_filter_finds_exactly_the_rows_shown_with_that_stage(org, hr, clock):
    """The stage is computed for the rows read and filtered in the database by two writings of
    one rule: whatever the filter, each row comes back under one stage, the one it shows."""
    grow(org, 9)
    cycle = flow.launch(org, hr, clock)
    plan = flow.approved_plan(org, cycle, "head_d", "head_c", "head_b")
    flow.submitted_plan(org, cycle, "head_c", "head_b")
    clock.day = D(2024, 12, 20)
    flow.signed_sheet(org, plan, "head_c")
    every = selectors.cycle_board(hr, cycle, per_page=200)
    shown = {r.participant.pk: r.stage for r in every.rows}
    found: dict[int, str] = {}
    for stage in selectors.STAGES:
        for late in (None, True, False):
            filtered = selectors.cycle_board(hr, cycle, {"stage": stage, "overdue": late}, per_page=200)
            assert {r.stage for r in filtered.rows} <= {stage}
            assert all(r.overdue == late for r in filtered.rows) if late is not None else True
            assert filtered.total == len(filtered.rows)
            if late is None:
                found.update({r.participant.pk: stage for r in filtered.rows})
                assert filtered.total == every.counts[stage]
    assert found == shown
    assert len(set(shown.values())) >= 5  # the world really holds several stages
    assert every.overdue_count == sum(r.overdue for r in every.rows)
    # Read unfiltered, the board also names every unit of the cycle (for the unit filter), once each.
    assert [u.pk for u in every.units] == sorted({r.participant.unit_id for r in every.rows},
                                                 key=lambda pk: ([r.participant.unit_code for r in every.rows
                                                                  if r.participant.unit_id == pk][0], pk))
    assert selectors.cycle_board(hr, cycle, {"search": "x"}).units is None


def test_unknown_filters_are_refused(org, hr, clock):
    cycle = flow.launch(org, hr, clock)
    with pytest.raises(ValidationError) as info:
        selectors.cycle_board(hr, cycle, {"stage": "plan_lost"})
    assert "stage" in info.value.message_dict
    with pytest.raises(ValidationError):
        selectors.cycle_board(hr, cycle, {"colour": "red"})
