"""Sessions end after the idle timeout and, however active, after the absolute lifetime; the
end is audited, pages go back to the login page and the API answers 401."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bagalau.audit.models import AuditEvent
from tests import factories
from tests.accounts.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, now, settings):
    settings.BAGALAU_SESSION_IDLE_SECONDS = 1800
    settings.BAGALAU_SESSION_ABSOLUTE_SECONDS = 4 * 3600
    factories.user("aigul")
    assert sign_in(client, "aigul").status_code == 302
    return client


def test_an_idle_session_ends(signed_in, now):
    now.advance(minutes=29)
    assert signed_in.get(reverse("web:home")).status_code == 200
    now.advance(minutes=31)
    response = signed_in.get(reverse("web:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
    assert "_auth_user_id" not in signed_in.session
    assert AuditEvent.objects.filter(action="auth.logout").get().payload["reason"] == "idle_timeout"


def test_an_active_session_ends_at_its_absolute_lifetime(signed_in, now):
    for _ in range(23):  # a request every 10 minutes for 3 h 50 min
        now.advance(minutes=10)
        assert signed_in.get(reverse("web:home")).status_code == 200
    now.advance(minutes=11)
    response = signed_in.get(reverse("web:home"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout").get().payload["reason"] == "session_lifetime"


def test_the_api_answers_401_after_expiry(signed_in, now):
    now.advance(hours=1)
    response = signed_in.get("/api/orgs/me")
    assert response.status_code == 401 and "expired" in response.json()["detail"]
