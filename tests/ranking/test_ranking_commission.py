"""HR's submission puts each ranking grade on the Commission's agenda (method ranking, no sheet);
the authorized person's approval makes it a FinalResult with method ranking (S1-p.56, p.65, p.67)."""

from __future__ import annotations

import pytest
from django.test import Client

from bagalau.assessments.ranking.models import RankingEntry
from bagalau.commission import services as commission
from bagalau.commission.models import AgendaItem, FinalResult, ItemState
from tests.commission import kit as ckit
from tests.ranking import world as kit
from tests.ranking.world import CLAUSE, D, fresh, grade, move, prepared

pytestmark = pytest.mark.django_db
FOUR = ("m1", "m2", "m3", "m4")
GRADES = {"spec": "EFFECTIVE", "s2": "PROPER", "s3": "PROPER", "s4": "SATISFACTORY"}


@pytest.fixture
def submitted(db, body, hr, clock):
    w = kit.build(body, hr, clock, members=5)
    prepared(w)
    ranking_list = grade(w, w.list_of("spec"), GRADES)
    ranking_list = move(w, ranking_list, "sign", "head_b")
    w.clock.day = D(2024, 12, 20)
    ranking_list = move(w, move(w, ranking_list, "agree", "chairman"), "forward", "hr")
    w.clock.day = ckit.PROPOSED_ON
    ckit.form(w)
    return w


def test_submitted_grades_join_the_agenda_linked_from_their_entries(submitted):
    meeting = ckit.propose(submitted)
    items = AgendaItem.objects.filter(meeting=meeting).select_related("participant")
    assert {(i.participant.servant_id, i.method, i.original_result, i.original_clause, i.sheet_id) for i in items} == {
        (submitted.servant(k).pk, "ranking", g, CLAUSE, None) for k, g in GRADES.items()}
    for entry in RankingEntry.objects.filter(ranking_list__entries__isnull=False).distinct():
        if entry.grade:
            assert entry.agenda_item.meeting_id == meeting.pk
    # The meeting page shows them with their method, as the KPI items.
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(submitted.hr)
    page = c.get(f"/commission/meetings/{meeting.pk}/")
    assert page.status_code == 200 and submitted.servant("s2").full_name in page.content.decode()
    # Proposed again for another meeting: nothing is waiting any more.
    with pytest.raises(Exception, match="No KPI evaluation sheet"):
        ckit.propose(submitted, meeting_on=D(2025, 1, 24))


def test_a_withdrawn_item_frees_the_grade_for_the_next_agenda(submitted):
    meeting = ckit.propose(submitted)
    item = AgendaItem.objects.get(meeting=meeting, participant__servant=submitted.servant("s4"))
    commission.withdraw_item(submitted.hr, submitted.body, item.pk, reason="Moved to the next sitting")
    assert fresh(item).state == ItemState.WITHDRAWN
    other = ckit.propose(submitted, meeting_on=D(2025, 1, 24))
    assert list(AgendaItem.objects.filter(meeting=other).values_list("participant__servant", flat=True)) == [
        submitted.servant("s4").pk]


def test_approval_yields_final_results_with_method_ranking(submitted):
    meeting = ckit.open_with(submitted, ckit.schedule(submitted), FOUR)
    for key in GRADES:
        ckit.vote(submitted, meeting, key, {m: "approve" for m in FOUR})
        commission.record_decision(submitted.hr, submitted.body, ckit.item_of(meeting, submitted, key).pk)
    meeting = fresh(meeting)
    meeting = commission.conclude_meeting(submitted.hr, submitted.body, meeting.pk, expected_version=meeting.version)
    for key in (*FOUR, "hr"):
        commission.sign_protocol(submitted.user(key), submitted.body, meeting.pk)
    meeting = fresh(meeting)
    commission.approve_results(submitted.authorized, submitted.body, meeting.pk, expected_version=meeting.version)
    finals = {(r.participant.servant_id, r.method, r.value, r.value_clause)
              for r in FinalResult.objects.select_related("participant")}
    assert finals == {(submitted.servant(k).pk, "ranking", g, CLAUSE) for k, g in GRADES.items()}
