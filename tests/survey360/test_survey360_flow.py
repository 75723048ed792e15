"""The 360 survey end to end through the services: HR starts it, assigns raters by the version's
rules, sends the questionnaires (work items with due dates), raters answer, the result appears
only once the survey closes with enough responses (spec 5.3, Q-02)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from bagalau.assessments.survey360 import selectors, services
from bagalau.assessments.survey360.models import AssignmentState, Response360, Survey360, SurveyState
from bagalau.inbox.models import ItemState, WorkItem
from bagalau.inbox.selectors import inbox_for
from tests.survey360 import kit


def test_head_flag_not_category_picks_the_indicator_group(world):
    head = services.create_survey(world.hr, world.body, world.sid("head"))
    spec = services.create_survey(world.hr, world.body, world.sid("s1"))
    assert (head.category, spec.category) == ("E-3", "E-3")
    assert (head.group, spec.group) == ("head", "non_head")
    assert head.methodology_version == "kentau-161"
    assert head.direct_manager == world.servants["chairman"]
    assert sorted(head.subordinate_ids) == sorted(world.sid(k) for k in ("s1", "s2", "s3", "s4"))
    assert spec.direct_manager == world.servants["head"]


def test_suggestions_come_from_the_org_snapshot(world):
    survey = services.create_survey(world.hr, world.body, world.sid("head"))
    key_of = {s.pk: k for k, s in world.servants.items()}
    got = {(key_of[s.servant_id], str(s.role)) for s in selectors.suggestions(survey)}
    assert got == {("chairman", "direct_manager"), ("head2", "peer"), ("head3", "peer"),
                   ("s1", "subordinate"), ("s2", "subordinate"), ("s3", "subordinate"), ("s4", "subordinate")}
    spec = services.create_survey(world.hr, world.body, world.sid("s1"))
    got = {(key_of[s.servant_id], str(s.role)) for s in selectors.suggestions(spec)}
    assert got == {("head", "direct_manager"), ("s2", "peer"), ("s3", "peer"), ("s4", "peer")}


def test_a_servant_never_rates_themself(world):
    survey = services.create_survey(world.hr, world.body, world.sid("s1"))
    with pytest.raises(ValidationError) as exc:
        services.assign_rater(world.hr, world.body, survey.pk, rater_id=world.sid("s1"), role="peer",
                              expected_version=survey.version)
    assert "rater" in exc.value.message_dict
    assert "themself" in exc.value.message_dict["rater"][0]
    assert not survey.assignments.exists()


@pytest.mark.parametrize(("key", "rater", "role", "field"), [
    ("s1", "s2", "subordinate", "role"),  # a non-head has no subordinates to rate him (version's roles)
    ("s1", "chairman", "direct_manager", "role"),  # not his direct manager in the snapshot
    ("head", "s1", "peer", "role"),  # his subordinate, not a colleague
    ("s1", "s5", "peer", "rater"),  # no login: could never answer
])
def test_rater_roles_follow_the_version_and_the_snapshot(world, key, rater, role, field):
    survey = services.create_survey(world.hr, world.body, world.sid(key))
    with pytest.raises(ValidationError) as exc:
        services.assign_rater(world.hr, world.body, survey.pk, rater_id=world.sid(rater), role=role,
                              expected_version=survey.version)
    assert field in exc.value.message_dict


def test_sending_needs_the_anonymity_threshold_of_raters(world):
    survey = kit.survey_with_raters(world, "s1", (("head", "direct_manager"), ("s2", "peer")), send=False)
    with pytest.raises(ValidationError) as exc:
        services.open_survey(world.hr, world.body, survey.pk, expected_version=survey.version)
    assert exc.value.message_dict["raters"] == [
        "2 raters: at least 3 are needed before any result can be shown. (S0-main-text)"]
    assert Survey360.objects.get(pk=survey.pk).state == SurveyState.DRAFT
    assert not WorkItem.objects.exists()


def test_raters_get_work_items_and_the_servant_a_report_only_after_closing(world, clock):
    survey = kit.survey_with_raters(world, "head", kit.HEAD_RATERS)
    assert survey.state == SurveyState.OPEN
    # Kentau No. 161 sets no answer deadline: no date is invented.
    assert survey.due_on is None
    items = list(inbox_for(world.user("head2"), world.body))
    assert [i.action for i in items] == ["survey360.answer"]
    assert world.servants["head"].last_name in items[0].title_ru
    assert items[0].url == f"/survey360/questionnaires/{kit.assignment(survey, world, 'head2').pk}/"
    assert [a.survey_id for a in selectors.my_questionnaires(world.user("head2"), world.body)] == [survey.pk]
    for rater in ("chairman", "head2", "head3", "s1"):
        kit.answer(world, survey, rater)
        report = selectors.report(world.user("head"), world.body, survey.pk)
        assert report.status == "OPEN" and not report.competencies and report.index is None
    kit.answer(world, survey, "s2",
               pick=lambda comp, n: "ineffective" if comp == "management" and n == 1 else "effective")
    survey.refresh_from_db()
    assert survey.state == SurveyState.CLOSED  # the last rater closed it
    report = selectors.report(world.user("head"), world.body, survey.pk)
    assert report.status == "SCORED" and report.answered == 5
    scores = {c["id"]: c["score"] for c in report.competencies}
    # One rater in five marks 1 of the 4 management indicators ineffective: (4 + 0.75) / 5.
    assert scores["management"] == 0.95 and scores["cooperation"] == 1.0
    assert len(report.competencies) == 11
    assert "bonus" in report.uses["refused"] and report.uses["clause"]
    assert not WorkItem.objects.filter(state=ItemState.OPEN).exists()


def test_closed_below_threshold_shows_no_number(world):
    survey = kit.survey_with_raters(world, "s1", kit.NON_HEAD_RATERS)
    kit.answer(world, survey, "head")
    kit.answer(world, survey, "s2", "ineffective")
    survey = services.close_survey(world.hr, world.body, survey.pk, expected_version=Survey360.objects.get(
        pk=survey.pk).version)
    report = selectors.report(world.hr, world.body, survey.pk)
    assert report.status == selectors.NOT_ENOUGH
    assert report.index is None and report.competencies == [] and report.by_role is None
    assert report.min_responses == 3
    # Nothing numeric is stored either: the frozen decision has no scores.
    assert survey.result["value"] is None and "competencies" not in survey.result["details"]
    # The pending rater's item was cancelled with the closing.
    assert WorkItem.objects.filter(state=ItemState.CANCELLED).count() == 2


def test_answers_must_cover_every_indicator_on_the_scale(world):
    survey = kit.survey_with_raters(world, "s1", kit.NON_HEAD_RATERS)
    a = kit.assignment(survey, world, "s2")
    full = kit.answers_for(survey)
    for bad, needle in [({k: v for k, v in list(full.items())[1:]}, "not answered"),
                        ({**full, "management/1": "maybe"}, "effective/ineffective"),
                        ({**full, "management/9": "effective"}, "no such indicator")]:
        with pytest.raises(ValidationError) as exc:
            services.submit_answers(world.user("s2"), world.body, a.pk, bad)
        assert needle in exc.value.message_dict["answers"][0]
    assert not Response360.objects.exists()
    a.refresh_from_db()
    assert a.state == AssignmentState.PENDING


def test_only_the_rater_answers_and_only_once(world):
    survey = kit.survey_with_raters(world, "s1", kit.NON_HEAD_RATERS)
    a = kit.assignment(survey, world, "s2")
    with pytest.raises(PermissionDenied):
        services.submit_answers(world.user("s3"), world.body, a.pk, kit.answers_for(survey))
    with pytest.raises(PermissionDenied):
        services.submit_answers(world.hr, world.body, a.pk, kit.answers_for(survey))
    kit.answer(world, survey, "s2")
    with pytest.raises(ValidationError):
        kit.answer(world, survey, "s2")
    assert Response360.objects.count() == 1


def test_hr_only_and_tenant_isolation(world, other_body, other_hr):
    with pytest.raises(PermissionDenied):
        services.create_survey(world.user("s1"), world.body, world.sid("s2"))
    survey = services.create_survey(world.hr, world.body, world.sid("s1"))
    with pytest.raises(Http404):
        services.assign_rater(other_hr, other_body, survey.pk, rater_id=world.sid("head"), role="direct_manager",
                              expected_version=survey.version)
    with pytest.raises(ValidationError):
        services.create_survey(other_hr, other_body, world.sid("s2"))
    assert not selectors.surveys(other_hr, other_body).exists()
    with pytest.raises(Http404):
        selectors.report(other_hr, other_body, survey.pk)


def test_report_is_for_the_servant_and_hr_only(world):
    survey = kit.survey_with_raters(world, "s1", kit.NON_HEAD_RATERS)
    with pytest.raises(PermissionDenied):
        selectors.report(world.user("s2"), world.body, survey.pk)
    with pytest.raises(PermissionDenied):
        selectors.report(world.user("head"), world.body, survey.pk)  # the manager rates, does not read
    assert selectors.report(world.user("s1"), world.body, survey.pk).status == "OPEN"


def test_stale_version_is_a_conflict(world):
    survey = services.create_survey(world.hr, world.body, world.sid("s1"))
    services.assign_rater(world.hr, world.body, survey.pk, rater_id=world.sid("head"), role="direct_manager",
                          expected_version=survey.version)
    with pytest.raises(ValidationError) as exc:
        services.assign_rater(world.hr, world.body, survey.pk, rater_id=world.sid("s2"), role="peer",
                              expected_version=survey.version)
    assert "version" in exc.value.message_dict


def test_one_running_survey_per_servant(world):
    services.create_survey(world.hr, world.body, world.sid("s1"))
    with pytest.raises(ValidationError) as exc:
        services.create_survey(world.hr, world.body, world.sid("s1"))
    assert "already running" in exc.value.message_dict["servant"][0]


def test_withdraw_a_pending_rater_cancels_the_item(world):
    survey = kit.survey_with_raters(world, "s1", kit.NON_HEAD_RATERS)
    a = kit.assignment(survey, world, "s4")
    services.withdraw_rater(world.hr, world.body, a.pk, expected_version=survey.version)
    a.refresh_from_db()
    assert a.state == AssignmentState.WITHDRAWN
    assert not list(inbox_for(world.user("s4"), world.body))


def test_360_refused_as_a_consequence_input(world):
    survey = kit.survey_with_raters(world, "s1", kit.NON_HEAD_RATERS)
    # Kentau's uses clause was not retrieved; the typical G2023 text refuses (tests below on it).
    with pytest.raises(ValidationError):
        services.require_use(world.body, survey.pk, "bonus")

