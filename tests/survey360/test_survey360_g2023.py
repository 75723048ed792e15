"""The 360 under the typical G2023 text as a body fills it from its own act (methodology.local):
the body's annex, the specialists' 360 it opts into, the minimum raters per role, the answer
deadline on the working-day calendar with reminders, and the refusal of the result as an input to
bonuses or personnel decisions (S1-p.9, the typical text's uses clause)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bagalau.assessments.survey360 import services
from bagalau.assessments.survey360.models import Survey360
from bagalau.inbox.models import WorkItem
from bagalau.inbox.sweep import run_sweep
from bagalau.notifications.models import Notification
from tests.survey360 import kit


@pytest.fixture
def g23(db, body, hr, clock):
    clock.day = kit.G2023_DAY
    return kit.build(body, hr, version_id=kit.G2023, adopted_from=dt.date(2023, 9, 1), local=kit.G2023_LOCAL)


def test_answer_deadline_counted_on_working_days_with_its_clause(g23):
    survey = kit.survey_with_raters(g23, "s1", kit.NON_HEAD_RATERS)
    # Tue 05.03.2024 + 10 working days, 8 March (Fri) a public holiday: Wed 20.03.2024.
    assert survey.due_on == dt.date(2024, 3, 20)
    assert (survey.due_rule, survey.due_clause) == ("survey360_response_due", "G23-methods")
    items = WorkItem.objects.filter(action="survey360.answer")
    assert items.count() == 4 and {i.due for i in items} == {dt.date(2024, 3, 20)}
    assert {i.due_clause for i in items} == {"G23-methods"}


def test_raters_are_reminded_before_the_deadline(g23):
    survey = kit.survey_with_raters(g23, "s1", kit.NON_HEAD_RATERS)
    kit.answer(g23, survey, "s3")
    run_sweep(today=dt.date(2024, 3, 18), now=dt.datetime(2024, 3, 18, 9, tzinfo=dt.UTC))
    reminded = set(Notification.objects.filter(kind="reminder").values_list("address", flat=True))
    # Reminded two working days before Wed 20.03: the three who have not answered; s3 answered.
    assert reminded == {g23.user(k).email for k in ("head", "s2", "s4")}
    assert all("20.03.2024" in t for t in Notification.objects.values_list("body_text", flat=True))


def test_specialists_get_a_360_only_because_the_body_act_says_so(db, body, hr, clock):
    clock.day = kit.G2023_DAY
    bare = {"competencies": kit.G2023_LOCAL["competencies"]}
    w = kit.build(body, hr, version_id=kit.G2023, adopted_from=dt.date(2023, 9, 1), local=bare)
    services.create_survey(w.hr, w.body, w.sid("head"))
    with pytest.raises(ValidationError) as exc:
        services.create_survey(w.hr, w.body, w.sid("s1"))
    assert "G23-methods" in exc.value.message_dict["servant"][0]


def test_without_the_body_annex_no_survey_starts(db, body, hr, clock):
    clock.day = kit.G2023_DAY
    w = kit.build(body, hr, version_id=kit.G2023, adopted_from=dt.date(2023, 9, 1))
    with pytest.raises(ValidationError) as exc:
        services.create_survey(w.hr, w.body, w.sid("head"))
    assert "competencies" in exc.value.message_dict["methodology_version"][0]
    assert not Survey360.objects.exists()


def test_minimum_raters_per_role(g23):
    survey = kit.survey_with_raters(g23, "head", (("chairman", "direct_manager"), ("head2", "peer"),
                                                  ("head3", "peer")), send=False)
    with pytest.raises(ValidationError) as exc:
        services.open_survey(g23.hr, g23.body, survey.pk, expected_version=survey.version)
    assert exc.value.message_dict["raters"] == ["Subordinate: 0 assigned, at least 1 required. (T-ord-1-p.5)"]


def test_refused_as_a_consequence_input_with_the_clause(g23):
    survey = kit.survey_with_raters(g23, "s1", kit.NON_HEAD_RATERS)
    for purpose in ("bonus", "promotion", "demotion", "dismissal"):
        with pytest.raises(ValidationError) as exc:
            services.require_use(g23.body, survey.pk, purpose)
        assert "G23-uses" in exc.value.message_dict["purpose"][0]
