"""Anonymity as a security property (spec 5.3, Q-02): nothing the application shows or keeps pairs
a rater with an answer: not the storage, the API, the exports, the back office nor the audit
trail. Every door is scanned for the marks only one rater's answers could leave.

The setting: the head's 360 with five raters. The direct manager (the only one of his group)
answers "ineffective" to everything, the others "effective" to everything; so any per-rater or
per-small-group figure would show a 0 or a 0.0 next to a role or a name.
"""

from __future__ import annotations

import json
import uuid

import pytest
from django.db import models
from django.test import Client

from bagalau.assessments.survey360.models import RaterAssignment, Response360, Survey360
from bagalau.audit.models import AuditEvent
from tests import factories
from tests.api_cycles.support import Api
from tests.survey360 import kit


@pytest.fixture
def closed(world):
    survey = kit.survey_with_raters(world, "head", kit.HEAD_RATERS)
    kit.answer(world, survey, "chairman", "ineffective")
    for rater in ("head2", "head3", "s1", "s2"):
        kit.answer(world, survey, rater, "effective")
    survey.refresh_from_db()
    assert survey.state == "closed"
    return survey


def test_storage_has_no_link_from_answers_to_raters():
    fields = {f.name: f for f in Response360._meta.get_fields() if f.concrete}
    assert isinstance(Response360._meta.pk, models.UUIDField)
    relations = {name for name, f in fields.items() if f.is_relation}
    assert relations == {"body", "survey"}
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in fields.values())
    assignment_fields = {f.name for f in RaterAssignment._meta.get_fields() if f.concrete}
    assert not any(isinstance(RaterAssignment._meta.get_field(n), models.DateField | models.DateTimeField)
                   for n in assignment_fields)


def test_responses_are_not_in_insertion_order(closed):
    """Random keys: reading them in key order is not the order they were written in (a 1/120
    chance of the same order by luck with five; the test asserts the keys are random UUIDs)."""
    ids = list(Response360.objects.filter(survey=closed).values_list("id", flat=True))
    assert len(ids) == 5 and all(isinstance(i, uuid.UUID) and i.version == 4 for i in ids)


def _leaks(text: str, closed: Survey360) -> list[str]:
    found = []
    for r in Response360.objects.filter(survey=closed):
        if str(r.id) in text or r.id.hex in text:
            found.append(f"response key {r.id}")
    if '"answers"' in text or "management/1" in text:
        found.append("raw answers")
    return found


def test_audit_payloads_carry_no_answers(closed, world):
    events = list(AuditEvent.objects.filter(body_id=world.body.pk))
    submits = [e for e in events if e.action == "survey360.questionnaire.submit"]
    assert len(submits) == 5 and {e.actor_id for e in submits} == {world.user(k).pk for k, _r in kit.HEAD_RATERS}
    for e in submits:
        assert set(e.payload) == {"survey"}
    dump = json.dumps([e.payload for e in events], ensure_ascii=False)
    assert _leaks(dump, closed) == []
    close = next(e for e in events if e.action == "survey360.close")
    assert close.role == "system" and close.actor_id is None


def test_api_and_exports_show_aggregates_only(closed, world):
    hr, servant = Api(world.hr), Api(world.user("head"))
    bodies = []
    for client, path in [(hr, "/api/survey360/surveys"), (hr, f"/api/survey360/surveys/{closed.pk}"),
                         (hr, f"/api/survey360/surveys/{closed.pk}/report"),
                         (servant, f"/api/survey360/surveys/{closed.pk}/report"),
                         (Api(world.user("chairman")), "/api/survey360/questionnaires")]:
        r = client.get(path)
        assert r.status_code == 200, (path, r.content)
        bodies.append(r.content.decode())
    for path in (f"/survey360/{closed.pk}/report.csv", f"/survey360/{closed.pk}/report/",
                 f"/survey360/{closed.pk}/"):
        r = hr.client.get(path)
        assert r.status_code == 200, path
        bodies.append(r.content.decode("utf-8-sig"))
    for text in bodies:
        assert _leaks(text, closed) == []
    report = json.loads(bodies[2])
    assert report["status"] == "SCORED" and report["index"] == 0.8
    # The direct manager is a group of one: the per-role split would be his answers.
    assert report["by_role"] is None
    assert {c["score"] for c in report["competencies"]} == {0.8}


def test_back_office_has_no_responses(closed, world):
    admin = factories.user(f"root_{world.body.pk}", superuser=True)
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/survey360/response360/").status_code == 404
    for path in ("/admin/survey360/survey360/", f"/admin/survey360/survey360/{closed.pk}/change/",
                 "/admin/survey360/raterassignment/", "/admin/"):
        r = client.get(path)
        assert r.status_code == 200, path
        text = r.content.decode()
        assert _leaks(text, closed) == []
        assert "response360" not in text.lower()


def test_below_threshold_no_number_anywhere(world):
    survey = kit.survey_with_raters(world, "s1", kit.NON_HEAD_RATERS)
    kit.answer(world, survey, "head", "ineffective")
    kit.answer(world, survey, "s2", "effective")
    hr = Api(world.hr)
    r = hr.post(f"/api/survey360/surveys/{survey.pk}/close", {"expected_version": Survey360.objects.get(
        pk=survey.pk).version})
    assert r.status_code == 200, r.content
    report = hr.get(f"/api/survey360/surveys/{survey.pk}/report").json()
    assert report["status"] == "INSUFFICIENT_RESPONSES"
    assert report["index"] is None and report["competencies"] == [] and report["by_role"] is None
    assert report["training_needs"] == []
    csv_text = hr.client.get(f"/survey360/{survey.pk}/report.csv").content.decode("utf-8-sig")
    assert "Not enough responses" in csv_text and "0.5" not in csv_text
    page = hr.client.get(f"/survey360/{survey.pk}/report/").content.decode()
    assert 'data-status="not-enough"' in page and "data-chart" not in page and "data-index" not in page


def test_open_survey_shows_no_interim_numbers(world):
    """Two successive aggregates would give away the rater who answered in between."""
    survey = kit.survey_with_raters(world, "s1", kit.NON_HEAD_RATERS)
    for rater in ("head", "s2", "s3"):
        kit.answer(world, survey, rater)
    report = Api(world.hr).get(f"/api/survey360/surveys/{survey.pk}/report").json()
    assert report["status"] == "OPEN" and report["answered"] == 3
    assert report["index"] is None and report["competencies"] == []
