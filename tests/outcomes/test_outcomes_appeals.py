"""Appeals (S1-p.70-71): the window counted from the commission decision, a late filing recorded
and flagged, a reviewer who sees only what is addressed to him, and a recommendation that reopens
the case: a new sitting, a new protocol, the old result kept as superseded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from bagalau.audit.models import AuditEvent
from bagalau.commission.models import FinalResult, Protocol
from bagalau.inbox.models import ItemState, WorkItem
from bagalau.outcomes import selectors, services
from bagalau.outcomes.models import AppealState, CourtStatus, FamiliarizationState
from bagalau.outcomes.workflow import IllegalTransition
from tests import factories
from tests.outcomes import kit as out

D = dt.date
REVISE = "recommend_cancel_and_revise"


def _file(world, results, reviewer, key="head_d", **kw):
    args = {"venue": "territorial_department", "reviewer_id": reviewer.pk,
            "grounds": "KPI 3 was met: the evidence was not considered.", **kw}
    return services.file_appeal(world.user(key), world.body, results[key].pk, **args)


def test_an_appeal_in_time_is_addressed_to_its_reviewer_S1_p70(world, results, reviewer, clock):
    clock.day = D(2025, 1, 31)  # the 10th working day after Fri 17.01.2025
    appeal = _file(world, results, reviewer)
    assert (appeal.timeliness, appeal.late, appeal.last_day, appeal.last_day_clause, appeal.decision_on) == (
        "ON_TIME", False, D(2025, 1, 31), "G23-appeal", D(2025, 1, 17))
    item = WorkItem.objects.get(action="outcomes.review", object_id=str(appeal.pk))
    assert item.assignee == reviewer
    event = AuditEvent.objects.get(action="outcomes.appeal.file", object_id=str(appeal.pk))
    assert event.payload["admissibility"] == "recorded only; the authorized body decides"


def test_a_late_appeal_is_recorded_and_flagged_not_refused(world, results, reviewer, clock):
    clock.day = D(2025, 2, 3)  # Monday after the last day
    appeal = _file(world, results, reviewer)
    assert (appeal.state, appeal.timeliness, appeal.late) == (AppealState.FILED, "LATE", True)
    assert AuditEvent.objects.get(action="outcomes.appeal.file", object_id=str(appeal.pk)).payload["late"] is True
    assert appeal in selectors.reviewer_appeals(reviewer)


def test_the_appeal_window_crosses_the_nauryz_holidays(world, reviewer, clock):
    """Approved Thu 20.03.2025: Fri 21.03 Nauryz, Mon 24 and Tue 25.03 carried over: the 10th
    working days are 26, 27, 28, 31.03 and 1, 2, 3, 4, 7, 8.04: the last day is Tue 08.04.2025."""
    results = out.approved(world, approve_on=D(2025, 3, 20))
    clock.day = D(2025, 4, 8)
    first = _file(world, results, reviewer, key="head_b")
    assert (first.last_day, first.late) == (D(2025, 4, 8), False)
    clock.day = D(2025, 4, 9)
    assert _file(world, results, reviewer, key="head_c").late is True


def test_only_the_servant_appeals_and_only_to_a_registered_reviewer(world, results, reviewer, other_body):
    with pytest.raises(PermissionDenied):
        services.file_appeal(world.hr, world.body, results["head_d"].pk, venue="authorized_body",
                             reviewer_id=reviewer.pk, grounds="x")
    stranger = factories.user("stranger")
    factories.grant(stranger, other_body, "appeal_reviewer")
    with pytest.raises(ValidationError) as exc:
        _file(world, results, reviewer, reviewer_id=stranger.pk)
    assert "reviewer" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _file(world, results, reviewer, venue="court")
    assert "G23-appeal" in str(exc.value.message_dict["venue"])
    _file(world, results, reviewer)
    with pytest.raises(ValidationError):  # one appeal under review at a time
        _file(world, results, reviewer)


def test_the_reviewer_sees_only_appeals_addressed_to_him(world, results, reviewer):
    other = out.reviewer(world, "reviewer2")
    appeal = _file(world, results, reviewer)
    assert selectors.reviewer_appeals(other) == []
    with pytest.raises(Http404):
        selectors.appeal(other, appeal.pk)
    with pytest.raises(Http404):
        services.decide_appeal(other, appeal.pk, outcome="leave_unrevised", expected_version=appeal.version)
    assert selectors.appeal(reviewer, appeal.pk).appeal == appeal  # from whatever body he is in
    with pytest.raises(Http404):  # a servant of the body reads only his own
        selectors.appeal(world.user("head_b"), appeal.pk, world.body)


def test_the_reviewer_leaves_the_result_unchanged(world, results, reviewer, clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    appeal = _file(world, results, reviewer)
    with pytest.raises(ValidationError):
        services.decide_appeal(reviewer, appeal.pk, outcome="dismiss", expected_version=appeal.version)
    doc = SimpleUploadedFile("answer.pdf", out.PDF)
    appeal = services.decide_appeal(reviewer, appeal.pk, outcome="leave_unrevised", note="No grounds",
                                    document=doc, expected_version=appeal.version)
    assert (appeal.state, appeal.outcome_clause) == (AppealState.UPHELD, "G23-appeal")
    assert WorkItem.objects.get(action="outcomes.review", object_id=str(appeal.pk)).state == ItemState.DONE
    assert FinalResult.objects.get(pk=results["head_d"].pk).reopened_at is None
    with pytest.raises(IllegalTransition):
        services.decide_appeal(reviewer, appeal.pk, outcome=REVISE, note="x", expected_version=appeal.version)


def test_a_revision_recommendation_reopens_the_case_and_the_superseded_result_stays(world, results, reviewer,
                                                                                   clock):
    old = results["head_d"]
    clock.day = D(2025, 1, 24)
    appeal = _file(world, results, reviewer)
    clock.day = D(2025, 1, 30)
    with pytest.raises(ValidationError):  # a recommendation needs its reasons
        services.decide_appeal(reviewer, appeal.pk, outcome=REVISE, expected_version=appeal.version)
    appeal = services.decide_appeal(reviewer, appeal.pk, outcome=REVISE, note="Evidence for KPI 3 ignored",
                                    expected_version=appeal.version)
    assert appeal.state == AppealState.REVISION
    old.refresh_from_db()
    assert old.reopened_at is not None and old.reopen_basis["appeal"] == appeal.pk
    assert selectors.revisions_waiting(world.hr, world.body) == [appeal]
    assert WorkItem.objects.get(action="outcomes.revise", object_id=str(appeal.pk)).assignee_role == "hr"

    meeting = out.revise(world, [old], corrected="PROPER", propose_on=D(2025, 1, 31), meeting_on=D(2025, 2, 7))
    assert Protocol.objects.filter(body=world.body).count() == 2  # a new protocol
    old.refresh_from_db()
    new = FinalResult.objects.get(participant=old.participant, superseded=False)
    assert (old.superseded, old.superseded_by, old.value) == (True, new, "SATISFACTORY")
    assert (new.value, new.revised, new.protocol.meeting) == ("PROPER", True, meeting)
    assert new.agenda_item.reopens == old and new.agenda_item.original_result == "SATISFACTORY"
    appeal.refresh_from_db()
    assert (appeal.state, appeal.revised_result) == (AppealState.REVISED, new)
    assert out.fam(old).state == FamiliarizationState.SUPERSEDED
    assert out.fam(new).state == FamiliarizationState.PENDING and out.fam(new).due == D(2025, 2, 11)
    history = selectors.results_history(world.hr, world.body, old.participant_id)
    assert [(r.value, r.superseded) for r in history] == [("SATISFACTORY", True), ("PROPER", False)]
    page = selectors.my_page(world.user("head_d"), world.body)
    (mine,) = page.results
    assert (mine.result, mine.history) == (new, [old])
    assert AuditEvent.objects.filter(action="commission.result.superseded", object_id=str(old.pk)).exists()


def test_the_court_challenge_is_recorded_as_a_status_with_documents(world, results, clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    clock.day = D(2025, 2, 20)
    case = services.record_court_case(world.hr, world.body, results["head_c"].pk, court="Көксу аудандық соты",
                                      filed_on="2025-02-14", case_number="2-145/2025")
    assert (case.status, case.clause) == (CourtStatus.FILED, "G23-appeal")
    services.add_court_document(world.hr, world.body, case.pk, title="Талап арыз",
                                file=SimpleUploadedFile("claim.pdf", out.PDF))
    case = services.set_court_status(world.hr, world.body, case.pk, status="pending", note="Hearing 10.03.2025")
    assert case.status == CourtStatus.PENDING and case.documents.count() == 1
    with pytest.raises(ValidationError):
        services.record_court_case(world.hr, world.body, results["head_c"].pk, court="X", filed_on="2025-01-01")
    with pytest.raises(PermissionDenied):
        services.record_court_case(world.user("head_c"), world.body, results["head_c"].pk, court="X",
                                   filed_on="2025-02-14")
