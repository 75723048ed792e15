"""The ranking list from preparation to the Commission's door (spec 5.2; S1-p.4, p.6, p.55, p.56)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from bagalau.assessments.ranking import services, workflow
from bagalau.assessments.ranking.models import ListState, RankingEntry, RankingList, RankingSignature
from bagalau.audit.models import AuditEvent
from bagalau.cycles.errors import Conflict
from bagalau.cycles.models import Participant
from bagalau.cycles.workflow import DIRECT_MANAGER, HR, REVIEWER, IllegalTransition
from bagalau.inbox.models import ItemState, WorkItem
from tests import factories
from tests.ranking import world as kit
from tests.ranking.world import CLAUSE, fresh, grade, move, prepared

D = dt.date
pytestmark = pytest.mark.django_db


def test_lists_are_prepared_per_snapshot_unit_and_evaluator(world):
    out = prepared(world)
    unit02 = world.list_of("spec")
    assert {e.servant_name for e in unit02.entries.all()} == {
        world.org.servants[k].full_name for k in ("spec", "s2", "s3", "s4")}
    assert (unit02.evaluator, unit02.reviewer) == (world.org.servants["head_b"], world.org.servants["chairman"])
    assert world.list_of("lone").entries.count() == 1 and len(out.lists) == 2
    assert unit02.rater_clause == CLAUSE
    item = WorkItem.objects.get(object_id=str(unit02.pk), action="ranking.grade")
    assert (item.assignee, item.state) == (world.user("head_b"), ItemState.OPEN)
    again = prepared(world)  # run again: nothing new
    assert again.lists == [] and RankingList.objects.count() == 2


def test_heads_are_not_ranked_under_the_method_split(world):
    prepared(world)
    ranked = set(RankingEntry.objects.values_list("participant__servant__last_name", flat=True))
    assert not ranked & {"Head_b", "Head_c", "Head_d", "Chairman"}


def test_preparing_is_refused_while_the_version_leaves_ranking_unfilled(db, body, hr, clock):
    w = kit.build(body, hr, clock, local={})
    with pytest.raises(ValidationError) as err:
        prepared(w)
    assert "scale" in str(err.value.message_dict["ranking"]) and "Q-01" in str(err.value.message_dict["ranking"])
    assert not RankingList.objects.exists()


def test_ranking_quota_breach_refused_with_its_clause(world):
    prepared(world)
    ranking_list = world.list_of("spec")
    with pytest.raises(ValidationError) as err:
        grade(world, ranking_list, {"spec": "EFFECTIVE", "s2": "EFFECTIVE"})
    message = err.value.message_dict["grades"][0]
    assert "2 of 4 servants are EFFECTIVE; the quota 1/4 allows 1" in message and CLAUSE in message
    assert fresh(ranking_list).version == ranking_list.version
    assert not RankingEntry.objects.exclude(grade="").exists()  # nothing half-written


def test_a_label_off_the_scale_is_refused_naming_the_entry(world):
    prepared(world)
    ranking_list = world.list_of("spec")
    entry = world.entry_ids(ranking_list)["s3"]
    with pytest.raises(ValidationError) as err:
        grade(world, ranking_list, {"s3": "EXCELLENT"})
    assert CLAUSE in err.value.message_dict[f"grades-{entry}-grade"][0]


def test_full_walk_grade_sign_agree_forward_with_shared_positions_and_audit(world):
    prepared(world)
    ranking_list = world.list_of("spec")
    ranking_list = grade(world, ranking_list, {"spec": "EFFECTIVE", "s2": "PROPER", "s3": "PROPER",
                                               "s4": "SATISFACTORY"})
    assert ranking_list.check_value == "VALID"
    assert ranking_list.check_verified is False  # the body's value is unverified
    ranking_list = move(world, ranking_list, "sign", "head_b")
    assert ranking_list.state == ListState.UNDER_REVIEW
    positions = {k: RankingEntry.objects.get(pk=pk).position for k, pk in world.entry_ids(ranking_list).items()}
    assert positions == {"spec": 1, "s2": 2, "s3": 2, "s4": 4}  # shared_rank: ties share the position
    review = WorkItem.objects.get(object_id=str(ranking_list.pk), action="ranking.review")
    assert review.assignee == world.user("chairman")
    assert WorkItem.objects.get(object_id=str(ranking_list.pk), action="ranking.grade").state == ItemState.DONE
    world.clock.day = D(2024, 12, 20)
    ranking_list = move(world, ranking_list, "agree", "chairman")
    assert ranking_list.state == ListState.AGREED and ranking_list.due_rule == "hr_to_commission_due"
    forward = WorkItem.objects.get(object_id=str(ranking_list.pk), action="ranking.forward")
    assert forward.assignee_role == "hr" and forward.due == ranking_list.due_on
    ranking_list = move(world, ranking_list, "forward", "hr")
    assert ranking_list.state == ListState.SUBMITTED_TO_COMMISSION
    actions = list(AuditEvent.objects.filter(object_id=str(ranking_list.pk), action__startswith="ranking.list")
                   .order_by("pk").values_list("action", "clause"))
    assert actions == [("ranking.list.prepare", CLAUSE), ("ranking.list.edit", CLAUSE), ("ranking.list.sign", CLAUSE),
                       ("ranking.list.agree", CLAUSE), ("ranking.list.forward", ranking_list_clause(world))]
    assert list(RankingSignature.objects.filter(ranking_list=ranking_list).values_list("action", flat=True)) == [
        "sign", "agree"]


def ranking_list_clause(world):
    return services.effective_version(world.cycle).param("deadlines.hr_to_commission_due").clause


def test_the_superior_returns_with_a_reason_and_the_evaluator_signs_again(world):
    prepared(world)
    ranking_list = grade(world, world.list_of("spec"), {"spec": "PROPER", "s2": "PROPER", "s3": "PROPER",
                                                        "s4": "PROPER"})
    ranking_list = move(world, ranking_list, "sign", "head_b")
    with pytest.raises(ValidationError) as err:
        move(world, ranking_list, "return", "chairman", reason=" ")
    assert "reason" in err.value.message_dict
    ranking_list = move(world, ranking_list, "return", "chairman", reason="s4 was on leave all year")
    assert ranking_list.state == ListState.RETURNED and ranking_list.due_rule == "sheet_resubmission_due"
    correct = WorkItem.objects.get(object_id=str(ranking_list.pk), action="ranking.correct")
    assert correct.assignee == world.user("head_b")
    ranking_list = grade(world, ranking_list, {"s4": "SATISFACTORY"})
    ranking_list = move(world, ranking_list, "sign", "head_b")
    assert ranking_list.state == ListState.UNDER_REVIEW and ranking_list.times_returned == 1


def test_signing_needs_every_servant_graded(world):
    prepared(world)
    ranking_list = grade(world, world.list_of("spec"), {"spec": "PROPER"})
    with pytest.raises(ValidationError) as err:
        move(world, ranking_list, "sign", "head_b")
    assert len(err.value.message_dict) == 3


def test_ties_not_allowed_must_be_ordered_by_the_evaluator(db, body, hr, clock):
    w = kit.build(body, hr, clock, local=kit.settings_with(tie_rule="not_allowed"))
    prepared(w)
    ranking_list = grade(w, w.list_of("spec"), {"spec": "EFFECTIVE", "s2": "PROPER", "s3": "PROPER", "s4": "PROPER"})
    with pytest.raises(ValidationError) as err:
        move(w, ranking_list, "sign", "head_b")
    assert "3 servants are PROPER; ties are not allowed" in err.value.message_dict["order"][0]
    assert CLAUSE in err.value.message_dict["order"][0]
    ranking_list = grade(w, ranking_list, {"s2": {"order": 3}, "s3": {"order": 1}, "s4": {"order": 2}})
    ranking_list = move(w, ranking_list, "sign", "head_b")
    positions = {k: RankingEntry.objects.get(pk=pk).position for k, pk in w.entry_ids(ranking_list).items()}
    assert positions == {"spec": 1, "s3": 2, "s4": 3, "s2": 4}


def test_a_unit_of_one_is_graded_without_quotas_when_the_version_says_so(world):
    prepared(world)
    lone = grade(world, world.list_of("lone"), {"lone": "EFFECTIVE"}, actor="head_c")
    assert lone.check_value == "VALID" and lone.check_decision["details"]["quotas_applied"] is False
    assert CLAUSE in lone.check_decision["warnings"][0]
    assert move(world, lone, "sign", "head_c").state == ListState.UNDER_REVIEW


def test_a_unit_of_one_is_refused_under_the_strict_reading(db, body, hr, clock):
    w = kit.build(body, hr, clock, local=kit.settings_with(small_group="refuse"))
    prepared(w)
    lone = grade(w, w.list_of("lone"), {"lone": "PROPER"}, actor="head_c")
    with pytest.raises(ValidationError) as err:
        move(w, lone, "sign", "head_c")
    assert "a ranking group needs at least 2 servants, got 1" in err.value.message_dict["grades"][0]
    assert CLAUSE in err.value.message_dict["grades"][0]


def test_a_servant_moved_mid_cycle_stays_in_his_snapshot_units_list(world):
    s2 = world.org.servants["s2"]
    appointment = s2.appointments.get()
    appointment.end = D(2024, 6, 30)
    appointment.save()
    factories.appoint(s2, factories.position(world.org.units["02-1"], "02-1-09", category="E-5"), D(2024, 7, 1))
    world.clock.day = D(2024, 12, 2)
    prepared(world)
    assert world.list_of("s2") == world.list_of("spec")
    assert world.list_of("s2").evaluator == world.org.servants["head_b"]


def test_absent_servant_is_ranked_without_participation_S1_p6(world):
    p = Participant.objects.get(cycle=world.cycle, servant=world.org.servants["s3"])
    p.participation, p.participation_clause = "without_participation", "G23-exclusions"
    p.save()
    prepared(world)
    ranking_list = grade(world, world.list_of("s3"), {"spec": "PROPER", "s2": "PROPER", "s3": "PROPER",
                                                      "s4": "PROPER"})
    assert move(world, ranking_list, "sign", "head_b").state == ListState.UNDER_REVIEW


def test_only_the_evaluator_grades_only_the_superior_agrees_only_hr_forwards(world):
    prepared(world)
    ranking_list = world.list_of("spec")
    for actor in ("spec", "head_c", "chairman", "hr"):
        with pytest.raises(PermissionDenied):
            grade(world, ranking_list, {"spec": "PROPER"}, actor=actor)
    ranking_list = grade(world, ranking_list, {"spec": "PROPER", "s2": "PROPER", "s3": "PROPER", "s4": "PROPER"})
    ranking_list = move(world, ranking_list, "sign", "head_b")
    with pytest.raises(PermissionDenied):
        move(world, ranking_list, "agree", "head_b")
    with pytest.raises(PermissionDenied):
        move(world, ranking_list, "forward", "chairman")


def test_a_stale_version_is_a_conflict_and_a_repeat_is_a_no_op(world):
    prepared(world)
    ranking_list = grade(world, world.list_of("spec"), {"spec": "PROPER", "s2": "PROPER", "s3": "PROPER",
                                                        "s4": "PROPER"})
    with pytest.raises(Conflict):
        services.save_grades(world.user("head_b"), world.body, ranking_list.pk, grades={},
                             expected_version=ranking_list.version - 1)
    signed = move(world, ranking_list, "sign", "head_b")
    again = services.sign_list(world.user("head_b"), world.body, signed.pk, expected_version=ranking_list.version)
    assert again.version == signed.version
    assert AuditEvent.objects.filter(action="ranking.list.sign").count() == 1


def test_another_body_sees_and_changes_nothing(world, other_body, other_hr):
    prepared(world)
    ranking_list = world.list_of("spec")
    with pytest.raises(Http404):
        services.forward_list(other_hr, other_body, ranking_list.pk, expected_version=ranking_list.version)
    with pytest.raises(PermissionDenied):
        services.prepare_lists(other_hr, world.body, world.cycle.pk)
    with pytest.raises(Http404):
        services.prepare_lists(other_hr, other_body, world.cycle.pk)


# -- the table, exhaustively (pure: no database) ----------------------------------------------------

ALLOWED = {(t.source, t.action, role) for t in workflow.LIST_TABLE.transitions for role in t.roles}


@pytest.mark.parametrize("state", ListState.values)
@pytest.mark.parametrize("action", workflow.LIST_TABLE.actions)
@pytest.mark.parametrize("role", [DIRECT_MANAGER, REVIEWER, HR])
def test_every_state_action_role_is_allowed_or_refused(state, action, role):
    if (state, action, role) in ALLOWED:
        assert workflow.fire(workflow.RANKING, state, action, role)[0].source == state
    else:
        with pytest.raises(IllegalTransition):
            workflow.fire(workflow.RANKING, state, action, role)


def test_forbidden_moves_through_the_service_change_nothing(world):
    prepared(world)
    ranking_list = world.list_of("spec")
    with pytest.raises(IllegalTransition):
        move(world, ranking_list, "forward", "hr")
    assert fresh(ranking_list).state == ListState.DRAFT
