"""The back office shows work items, notifications and delivery attempts read-only, and only those
of the bodies where the staff user holds HR or ADMIN (a superuser sees all)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from bagalau.inbox.models import WorkItem
from bagalau.inbox.services import open_item
from bagalau.notifications.models import DeliveryAttempt, Notification
from bagalau.orgs.models import Role
from tests import factories


def staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def two_bodies(body, other_body, hr, other_hr):
    rows = {}
    for b, who, tag in ((body, hr, "ours"), (other_body, other_hr, "theirs")):
        doc = factories.servant(b)
        with transaction.atomic():
            item = open_item(body=b, obj=doc, action=f"sheet.{tag}", assignee_role=Role.HR,
                             titles={"kk": tag, "ru": tag}, due=dt.date(2024, 5, 10), due_rule="r", due_clause="c")
        n = Notification.objects.create(body=b, recipient=who, channel="email", address=f"{tag}@example.kz",
                                        subject=f"subject-{tag}", body_text="t", kind="reminder",
                                        dedupe_key=f"k-{tag}")
        attempt = DeliveryAttempt.objects.create(notification=n, at=n.created_at, ok=False, error=f"error-{tag}")
        rows[tag] = (item, n, attempt)
    return rows


@pytest.mark.parametrize("url", ["/admin/inbox/workitem/", "/admin/notifications/notification/",
                                 "/admin/notifications/deliveryattempt/"])
def test_lists_are_scoped_to_the_staff_users_bodies(client, hr, two_bodies, url):
    client.force_login(staff(hr))
    page = client.get(url).content.decode()
    assert "ours" in page
    assert "theirs" not in page


def test_another_bodys_rows_are_not_found(client, hr, two_bodies):
    client.force_login(staff(hr))
    item, notification, attempt = two_bodies["theirs"]
    for url in (f"/admin/inbox/workitem/{item.pk}/change/",
                f"/admin/notifications/notification/{notification.pk}/change/",
                f"/admin/notifications/deliveryattempt/{attempt.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url == "/admin/", url
    own_item = two_bodies["ours"][0]
    assert client.get(f"/admin/inbox/workitem/{own_item.pk}/change/").status_code == 200


def test_nothing_can_be_added_changed_or_deleted(client, hr, two_bodies):
    client.force_login(staff(hr))
    item, notification, _attempt = two_bodies["ours"]
    assert client.get("/admin/inbox/workitem/add/").status_code == 403
    assert client.get("/admin/notifications/notification/add/").status_code == 403
    assert client.post(f"/admin/notifications/notification/{notification.pk}/delete/").status_code == 403
    response = client.post(f"/admin/inbox/workitem/{item.pk}/change/", {"state": "done"})
    assert response.status_code == 403
    assert WorkItem.objects.get(pk=item.pk).state == "open"


def test_a_superuser_sees_every_body(client, two_bodies):
    client.force_login(factories.user(superuser=True))
    page = client.get("/admin/notifications/notification/").content.decode()
    assert "subject-ours" in page and "subject-theirs" in page


def test_a_staff_user_without_hr_sees_no_module(client, body, two_bodies):
    member = staff(factories.user())
    factories.grant(member, body, Role.COMMISSION_MEMBER)
    client.force_login(member)
    assert client.get("/admin/notifications/notification/").status_code == 403
