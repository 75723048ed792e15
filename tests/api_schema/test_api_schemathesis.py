"""schemathesis against the API's own OpenAPI document, in process through the WSGI application:
every operation gets a bounded, derandomized set of generated requests (valid and invalid bodies,
odd query strings, ids that do and do not exist) as a signed-in user with broad roles in a body
with a realistic cycle and commission; no answer may be a 5xx, and every answer's status, content
type and body must be the ones the document declares for that operation."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bagalau.orgs.models import Role
from tests import factories

APP = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", APP)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 8  # per operation: derandomized, so the same cases every run; the run stays short
BROAD_ROLES = (Role.HR, Role.AUTHORIZED_PERSON, Role.AUDITOR, Role.ADMIN, Role.COMMISSION_MEMBER)


@pytest.fixture(scope="module")
def session(worlds, django_db_blocker):
    """A session of a user holding every granted role in the own body (and its servant record, so
    his own evaluations are found too), with a CSRF token for the writes."""
    with django_db_blocker.unblock():
        user = worlds.own.actors["hr"]
        for role in BROAD_ROLES:
            if role != Role.HR:
                factories.grant(user, worlds.own.body, role)
        client = Client()
        client.force_login(user)
        token = _get_new_csrf_string()
        return {"cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
                "headers": {"X-CSRFToken": token}}


@pytest.fixture
def in_process(world):
    """The WSGI handler would close the test's connection at the end of each request (it is inside
    a transaction); keep it, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented(case, in_process, session):
    with transaction.atomic():
        response = case.call(cookies=session["cookies"], headers=session["headers"])
        transaction.set_rollback(True)
    case.validate_response(response, checks=CHECKS)
