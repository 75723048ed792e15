"""The admin shows the trail and offers no way to change it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from bagalau.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client):
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    return client


def test_changelist_lists_filters_and_searches(admin_client_, write_events):
    write_events(2, body_id=1, actor=None, object_type="orgs.servant")
    write_events(1, body_id=2, object_type="orgs.unit", object_id="unit-77")
    url = reverse("admin:audit_auditevent_changelist")
    assert admin_client_.get(url).context["cl"].result_count == 3
    assert admin_client_.get(url, {"body_id": "1"}).context["cl"].result_count == 2
    assert admin_client_.get(url, {"action": "test.step"}).context["cl"].result_count == 3
    assert admin_client_.get(url, {"q": "unit-77"}).context["cl"].result_count == 1


def test_no_add_change_or_delete_even_for_a_superuser(admin_client_, write_events):
    event = write_events(1)[0]
    assert admin_client_.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert admin_client_.post(reverse("admin:audit_auditevent_change", args=[event.pk]),
                              {"action": "forged"}).status_code == 403
    assert admin_client_.post(reverse("admin:audit_auditevent_delete", args=[event.pk]),
                              {"post": "yes"}).status_code == 403
    page = admin_client_.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert AuditEvent.objects.get(pk=event.pk).action == "test.step"
