"""The ranking pages: the scale with its source and verified flag, the quota refusal with its
clause, the moves, bounded queries, and nothing of another body."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bagalau.assessments.ranking.models import ListState
from tests.ranking.world import CLAUSE, fresh, prepared

pytestmark = pytest.mark.django_db


def client(user):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user)
    return c


def test_the_page_shows_the_scale_quota_source_and_unverified_flag(world):
    prepared(world)
    rl = world.list_of("spec")
    page = client(world.user("head_b")).get(f"/ranking/{rl.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and CLAUSE in html and 'id="unverified"' in html and "1/4" in html
    # Which group is ranked is itself an unverified parameter of the version.
    assert "other positions (G23-methods)" in html


def test_quota_breach_comes_back_with_the_clause_and_nothing_saved(world):
    prepared(world)
    rl = world.list_of("spec")
    ids = world.entry_ids(rl)
    data = {"version": rl.version, "intent": "save", f"grade-{ids['spec']}": "EFFECTIVE",
            f"grade-{ids['s2']}": "EFFECTIVE"}
    page = client(world.user("head_b")).post(f"/ranking/{rl.pk}/", data)
    html = page.content.decode()
    assert page.status_code == 400 and CLAUSE in html and "the quota 1/4 allows 1" in html
    assert fresh(rl).version == rl.version


def test_sign_agree_forward_through_the_pages(world):
    prepared(world)
    rl = world.list_of("spec")
    ids = world.entry_ids(rl)
    grades = dict(zip(("spec", "s2", "s3", "s4"), ("EFFECTIVE", "PROPER", "PROPER", "SATISFACTORY"), strict=True))
    data = {"version": rl.version, "intent": "sign", **{f"grade-{ids[k]}": g for k, g in grades.items()}}
    assert client(world.user("head_b")).post(f"/ranking/{rl.pk}/", data).status_code == 302
    rl = fresh(rl)
    assert rl.state == ListState.UNDER_REVIEW
    assert client(world.user("chairman")).post(f"/ranking/{rl.pk}/", {"version": rl.version, "intent": "agree"}
                                                 ).status_code == 302
    rl = fresh(rl)
    assert client(world.hr).post(f"/ranking/{rl.pk}/", {"version": rl.version, "intent": "forward"}).status_code == 302
    assert fresh(rl).state == ListState.SUBMITTED_TO_COMMISSION


def test_another_body_gets_404(world, other_body, other_hr):
    prepared(world)
    rl = world.list_of("spec")
    assert client(other_hr).get(f"/ranking/{rl.pk}/").status_code == 404


def _count(user, url):
    c = client(user)
    c.get(url)  # warm caches (session, body)
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    return len(ctx)


def test_list_page_queries_do_not_grow_with_the_entries(world):
    prepared(world)
    small = _count(world.user("head_c"), f"/ranking/{world.list_of('lone').pk}/")
    big = _count(world.user("head_b"), f"/ranking/{world.list_of('spec').pk}/")
    assert big == small
    assert _count(world.hr, "/ranking/") <= 25


def test_lists_page_queries_do_not_grow_with_the_lists(world):
    none = _count(world.hr, "/ranking/")
    prepared(world)
    page = client(world.hr).get("/ranking/")
    assert page.content.decode().count("/ranking/") >= 2
    assert _count(world.hr, "/ranking/") == none


def test_the_evaluators_inbox_links_to_the_list(world):
    prepared(world)
    rl = world.list_of("spec")
    page = client(world.user("head_b")).get("/inbox/")
    assert page.status_code == 200 and f"/ranking/{rl.pk}/" in page.content.decode()
