"""The admin back office is tenant-aware: an HR officer of body A never sees body B's rows, through
any admin page, and the lists cost a fixed number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bagalau.orgs.models import Role, Servant
from tests import factories

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_changelist_shows_own_body_only(hr_client, body, other_body):
    mine = factories.servant(body, last_name="Мендібаев")
    theirs = factories.servant(other_body, last_name="Жолдасбеков")
    response = hr_client.get(reverse("admin:orgs_servant_changelist"), **EN)
    assert response.status_code == 200
    content = response.content.decode()
    assert mine.last_name in content
    assert theirs.last_name not in content
    # The body filter lists only the user's bodies, not every tenant's name.
    assert body.name_kk in content
    assert other_body.name_kk not in content


def test_other_bodys_row_is_not_found(hr_client, other_body):
    theirs = factories.servant(other_body, last_name="Жолдасбеков")
    for name in ("change", "history", "delete"):
        response = hr_client.get(reverse(f"admin:orgs_servant_{name}", args=[theirs.pk]), **EN)
        assert response.status_code in (302, 403, 404), name
        assert theirs.last_name not in response.content.decode()
        assert theirs.iin not in response.content.decode()
    # Nor can it be changed by posting to its URL.
    response = hr_client.post(reverse("admin:orgs_servant_change", args=[theirs.pk]),
                              {"iin": theirs.iin, "last_name": "Hacked", "first_name": "X"}, **EN)
    assert response.status_code in (302, 403, 404)
    theirs.refresh_from_db()
    assert theirs.last_name.startswith("Жолдасбеков")


def test_other_bodys_state_body_and_grants_are_not_listed(hr_client, body, other_body, other_hr):
    response = hr_client.get(reverse("admin:orgs_statebody_changelist"), **EN)
    assert body.bin in response.content.decode()
    assert other_body.bin not in response.content.decode()
    response = hr_client.get(reverse("admin:orgs_rolegrant_changelist"), **EN)
    assert other_hr.username not in response.content.decode()


def test_add_form_offers_own_body_rows_only(hr_client, body, other_body):
    factories.servant(body, last_name="Мендібаев")
    factories.servant(other_body, last_name="Жолдасбеков")
    content = hr_client.get(reverse("admin:orgs_absence_add"), **EN).content.decode()
    assert "Мендібаев" in content
    assert "Жолдасбеков" not in content
    assert other_body.name_kk not in content


def test_posting_another_bodys_id_is_refused(hr_client, body, other_body):
    theirs = factories.servant(other_body)
    response = hr_client.post(reverse("admin:orgs_absence_add"), {
        "body": body.pk, "servant": theirs.pk, "kind": "annual_leave", "start": "2025-01-10",
        "end": "2025-01-20", "_save": "1"}, **EN)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not theirs.absences.exists()


def test_staff_without_hr_role_sees_nothing(client, body):
    commission = factories.user("member")
    commission.is_staff = True
    commission.save()
    factories.grant(commission, body, Role.COMMISSION_MEMBER)
    client.force_login(commission)
    assert client.get(reverse("admin:orgs_servant_changelist"), **EN).status_code == 403
    index = client.get(reverse("admin:index"), **EN)
    assert index.status_code == 200
    assert reverse("admin:orgs_servant_changelist") not in index.content.decode()


def test_non_staff_hr_cannot_enter_the_admin(client, hr):
    client.force_login(hr)
    response = client.get(reverse("admin:orgs_servant_changelist"), **EN)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_superuser_sees_every_body(client, body, other_body):
    admin_user = factories.user("root", superuser=True)
    a = factories.servant(body, last_name="Мендібаев")
    b = factories.servant(other_body, last_name="Жолдасбеков")
    client.force_login(admin_user)
    content = client.get(reverse("admin:orgs_servant_changelist"), **EN).content.decode()
    assert a.last_name in content and b.last_name in content


def _staff(body, n):
    unit = factories.unit(body, f"U{n}")
    head = factories.position(unit, f"P{n}-0", head=True, category="E-3")
    factories.appoint(factories.servant(body), head)
    for i in range(1, n):
        factories.appoint(factories.servant(body), factories.position(unit, f"P{n}-{i}"))


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **EN)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_changelist_queries_do_not_grow_with_rows(hr_client, body, django_assert_max_num_queries):
    urls = [reverse(f"admin:orgs_{m}_changelist") for m in
            ("servant", "appointment", "position", "structuralunit", "absence", "rolegrant", "statebody",
             "reportingoverride")]
    _staff(body, 5)
    few = {url: _count_queries(hr_client, url)[0] for url in urls}
    _staff(body, 35)
    assert Servant.objects.filter(body=body).count() == 40
    for url in urls:
        assert few[url] <= 25, url  # a ceiling, so a regression to one query per row shows
        with django_assert_max_num_queries(few[url]):
            _count, response = _count_queries(hr_client, url)
    # The servant list really shows the 40 rows with their positions (prefetched, not per row).
    _count, response = _count_queries(hr_client, reverse("admin:orgs_servant_changelist"))
    content = response.content.decode()
    assert content.count('class="field-current_position"') == 40
    assert "(E-3)" in content and "(E-4)" in content
