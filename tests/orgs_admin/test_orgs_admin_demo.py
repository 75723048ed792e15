"""The demo's HR logins work in the back office, and every admin page renders for them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from bagalau.orgs.demo import load_demo
from bagalau.orgs.models import (
    Absence,
    Appointment,
    Position,
    ReportingOverride,
    RoleGrant,
    Servant,
    StateBody,
    StructuralUnit,
)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
MODELS = (StateBody, StructuralUnit, Position, Servant, Appointment, Absence, ReportingOverride, RoleGrant)


@pytest.fixture
def demo(db):
    return load_demo()


def test_demo_hr_sees_own_body_and_not_the_other(client, demo):
    client.force_login(get_user_model().objects.get(username="hr"))
    content = client.get(reverse("admin:orgs_servant_changelist"), **EN).content.decode()
    assert "Әбілқасымов" in content  # the Koksu chairman
    assert "Смағұлова" not in content  # Karatal's HR officer
    client.force_login(get_user_model().objects.get(username="hr2"))
    content = client.get(reverse("admin:orgs_servant_changelist"), **EN).content.decode()
    assert "Смағұлова" in content and "Әбілқасымов" not in content


@pytest.mark.parametrize("username", ["hr", "admin"])
def test_every_orgs_admin_page_renders(client, demo, username):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    for model in MODELS:
        name = model._meta.model_name
        assert client.get(reverse(f"admin:orgs_{name}_changelist"), **EN).status_code == 200, name
        add = client.get(reverse(f"admin:orgs_{name}_add"), **EN)
        assert add.status_code == (403 if model is StateBody and not user.is_superuser else 200), name
        obj = _one_of(model, demo.body)
        if obj is not None:
            page = client.get(reverse(f"admin:orgs_{name}_change", args=[obj.pk]), **EN)
            assert page.status_code == 200, name


def _one_of(model, body):
    if model is StateBody:
        return body
    return model.objects.filter(body=body).first()


def test_superuser_user_list_shows_roles(client, demo):
    client.force_login(get_user_model().objects.get(username="admin"))
    content = client.get(reverse("admin:auth_user_changelist"), **EN).content.decode()
    assert "Appeal reviewer @" in content
    reviewer = get_user_model().objects.get(username="reviewer")
    page = client.get(reverse("admin:auth_user_change", args=[reviewer.pk]), **EN)
    assert page.status_code == 200 and "Appeal reviewer" in page.content.decode()
