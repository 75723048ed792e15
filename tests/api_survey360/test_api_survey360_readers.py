"""Who reads the body's 360 surveys: the page's list and the API's list follow the same check
(survey360.access.require_reader). HR, the administrator and the auditor read them; anyone else is
refused with 403 naming the action and the roles by both doors, never shown an empty list; another
body's HR sees none of this body's surveys."""

from __future__ import annotations

from typing import Any

from django.test import Client

from bagalau.assessments.survey360 import services
from bagalau.orgs.models import Role
from tests import factories
from tests.api_cycles.support import Api

BASE = "/api/survey360"


def _page(user: Any) -> Any:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client.get("/survey360/")


def _survey(world: Any) -> int:
    return services.create_survey(world.hr, world.body, world.sid("head")).pk


def test_the_servant_evaluated_is_refused_the_list_by_the_page_and_the_api_alike(world):
    survey_id = _survey(world)
    head = world.user("head")
    api = Api(head).get(f"{BASE}/surveys")
    page = _page(head)
    assert (api.status_code, page.status_code) == (403, 403)
    detail = api.json()["detail"]
    assert "read the body's 360 surveys" in detail and "HR service" in detail and "Auditor" in detail
    assert "needs one of these roles" in page.content.decode()
    # The same check guards one survey's page and API answer: 403, not a 404 that hides nothing.
    assert Api(head).get(f"{BASE}/surveys/{survey_id}").status_code == 403
    # His own report stays his (survey360.access.require_report_reader): only the list is refused.
    assert Api(head).get(f"{BASE}/surveys/{survey_id}/report").status_code == 200


def test_a_rater_with_no_role_is_refused_and_the_auditor_reads_what_hr_reads(world):
    survey_id = _survey(world)
    rater = world.user("s2")
    assert Api(rater).get(f"{BASE}/surveys").status_code == 403
    assert _page(rater).status_code == 403
    auditor = factories.user(f"auditor_{world.body.pk}")
    factories.grant(auditor, world.body, Role.AUDITOR)
    for reader in (world.hr, auditor):
        listed = Api(reader).get(f"{BASE}/surveys")
        assert listed.status_code == 200, listed.content
        assert [s["id"] for s in listed.json()] == [survey_id]
        page = _page(reader)
        assert page.status_code == 200 and world.servants["head"].full_name in page.content.decode()


def test_another_body_s_hr_sees_none_of_this_body_s_surveys(world, other_hr):
    survey_id = _survey(world)
    other = Api(other_hr)
    listed = other.get(f"{BASE}/surveys")
    assert listed.status_code == 200 and listed.json() == []
    assert other.get(f"{BASE}/surveys/{survey_id}").status_code == 404
