"""The 360 survey's transition table, every state x action x role (cheap: no database), and the
services refusing a move the table does not allow (no half-written rows)."""

from __future__ import annotations

import itertools

import pytest

from bagalau.assessments.survey360 import services, workflow
from bagalau.assessments.survey360.models import RaterAssignment, Survey360
from tests.survey360 import kit

ALLOWED = {
    ("draft", "assign", "hr"): "draft", ("draft", "withdraw", "hr"): "draft", ("draft", "open", "hr"): "open",
    ("draft", "cancel", "hr"): "cancelled", ("open", "assign", "hr"): "open", ("open", "withdraw", "hr"): "open",
    ("open", "submit", "rater"): "open", ("open", "close", "hr"): "closed", ("open", "close", "system"): "closed",
    ("open", "cancel", "hr"): "cancelled",
}


@pytest.mark.parametrize(("state", "action", "role"),
                         list(itertools.product(workflow.SURVEY_TABLE.states, workflow.SURVEY_TABLE.actions,
                                                workflow.ROLES)))
def test_every_move(state, action, role):
    expected = ALLOWED.get((state, action, role))
    if expected is None:
        with pytest.raises(workflow.IllegalMove) as refused:
            workflow.fire(workflow.SURVEY, state, action, role)
        # A refusal of the `state` field (422), not the other apps' 409 IllegalTransition.
        assert list(refused.value.message_dict) == ["state"] and f"({role})" in refused.value.messages[0]
    else:
        assert workflow.fire(workflow.SURVEY, state, action, role) == (workflow.SURVEY_TABLE.get(state, action), role)
        assert workflow.fire(workflow.SURVEY, state, action, role)[0].target == expected


def test_no_answers_before_sending_and_nothing_after_closing(world):
    survey = kit.survey_with_raters(world, "s1", kit.NON_HEAD_RATERS, send=False)
    with pytest.raises(workflow.IllegalMove):
        kit.answer(world, survey, "s2")
    survey = services.open_survey(world.hr, world.body, survey.pk, expected_version=survey.version)
    survey = services.close_survey(world.hr, world.body, survey.pk, expected_version=survey.version)
    with pytest.raises(workflow.IllegalMove):
        services.assign_rater(world.hr, world.body, survey.pk, rater_id=world.sid("head2"), role="peer",
                              expected_version=survey.version)
    with pytest.raises(workflow.IllegalMove):
        kit.answer(world, survey, "s2")
    assert RaterAssignment.objects.filter(survey=survey).count() == 4
    assert Survey360.objects.get(pk=survey.pk).responses_count == 0
