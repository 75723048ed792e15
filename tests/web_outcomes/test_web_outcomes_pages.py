"""The outcomes pages: the servant's own page, HR's board and familiarization forms (refusal act
with witnesses, remote notice with a proof checked by content), the reviewer's appeals and
outcome form, revisions, consequences with CSV/XLSX export; and their bounded query counts."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from bagalau.outcomes import services
from bagalau.outcomes.models import Appeal, ConsequenceProposal, Familiarization, FamiliarizationState
from tests import factories
from tests.outcomes import kit as out

D = dt.date


def client(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user)
    return c


def _fid(results, key):
    return Familiarization.objects.get(result=results[key]).pk


def test_the_servant_signs_and_appeals_from_his_own_page(world, results, reviewer, clock):
    c = client(world.user("head_b"))
    page = c.get("/me/evaluation/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-due="2025-01-21"' in html and 'data-appeal-by="2025-01-31"' in html
    assert "G23-familiarization" in html and "/me/evaluation/" in html
    fid = _fid(results, "head_b")
    r = c.post(f"/me/evaluation/{fid}/sign/", {"version": "1"})
    assert r.status_code == 302
    assert Familiarization.objects.get(pk=fid).state == FamiliarizationState.SIGNED
    r = c.post(f"/me/results/{results['head_b'].pk}/appeal/", {"venue": "authorized_body", "reviewer": reviewer.pk,
                                                                "grounds": ""})
    assert r.status_code == 400 and "This field is required." in r.content.decode()
    r = c.post(f"/me/results/{results['head_b'].pk}/appeal/", {"venue": "authorized_body", "reviewer": reviewer.pk,
                                                                "grounds": "KPI 2"})
    assert r.status_code == 302 and Appeal.objects.get().servant == world.servant("head_b")
    assert 'data-appeal-state="filed"' in c.get("/me/evaluation/").content.decode()
    other = client(world.user("head_c"))
    assert other.post(f"/me/evaluation/{fid}/sign/", {"version": "2"}).status_code == 403


def test_hr_draws_up_the_act_with_two_witnesses_and_records_the_portal_delivery(world, results):
    fid = _fid(results, "head_d")
    hr = client(world.hr)
    page = hr.get(f"/outcomes/familiarization/{fid}/").content.decode()
    assert 'data-action="draw-act"' in page and "G23-familiarization" in page
    data = {"version": "1", "number": "1-А", "text_kk": "Бас тартты", "text_ru": "Отказался",
            "witnesses": [world.servant("m6").pk, world.servant("head_d").pk]}
    r = hr.post(f"/outcomes/familiarization/{fid}/act/", data)
    assert r.status_code == 400 and "is the servant who refused" in r.content.decode()
    data["witnesses"] = [world.servant("m6").pk, world.servant("m7").pk]
    assert hr.post(f"/outcomes/familiarization/{fid}/act/", data).status_code == 302
    r = hr.post(f"/outcomes/familiarization/{fid}/delivery/", {"version": "2", "channel": "intranet_portal",
                                                               "reference": "IP-1"})
    assert r.status_code == 302
    page = hr.get(f"/outcomes/familiarization/{fid}/").content.decode()
    assert 'data-delivered="intranet_portal"' in page and f'data-witness="{world.servant("m7").pk}"' in page
    assert 'data-state="delivered"' in hr.get("/outcomes/familiarization/").content.decode()


def test_the_remote_notice_form_checks_the_proof(world, results, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out.sick(world, "head_c", D(2025, 1, 10), D(2025, 2, 10))
    fid = _fid(results, "head_c")
    hr = client(world.hr)
    fake = SimpleUploadedFile("letter.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    r = hr.post(f"/outcomes/familiarization/{fid}/remote/", {"version": "1", "channel": "registered_letter",
                                                             "proof": fake})
    assert r.status_code == 400 and "PDF, JPEG or PNG" in r.content.decode()
    proof = SimpleUploadedFile("letter.png", out.PNG, content_type="image/png")
    r = hr.post(f"/outcomes/familiarization/{fid}/remote/", {"version": "1", "channel": "registered_letter",
                                                             "reference": "RR1", "proof": proof})
    assert r.status_code == 302
    page = hr.get(f"/outcomes/familiarization/{fid}/").content.decode()
    assert 'data-notice="registered_letter"' in page and 'data-proof="image/png"' in page


def test_the_reviewer_records_the_outcome_and_hr_proposes_the_revision_sitting(world, results, reviewer, clock):
    appeal = services.file_appeal(world.user("head_d"), world.body, results["head_d"].pk, venue="authorized_body",
                                  reviewer_id=reviewer.pk, grounds="KPI 3")
    rc = client(reviewer)
    assert f'data-appeal="{appeal.pk}"' in rc.get("/outcomes/appeals/review/").content.decode()
    r = rc.post(f"/outcomes/appeals/{appeal.pk}/outcome/", {"version": "1", "outcome": "recommend_cancel_and_revise",
                                                            "note": "Evidence ignored"})
    assert r.status_code == 302
    other = client(out.reviewer(world, "reviewer2"))
    assert other.get(f"/outcomes/appeals/{appeal.pk}/").status_code == 404
    hr = client(world.hr)
    assert f'data-revision="{appeal.pk}"' in hr.get("/outcomes/revisions/").content.decode()
    clock.day = D(2025, 1, 31)
    r = hr.post("/outcomes/revisions/propose/", {"results": [results["head_d"].pk], "meeting_on": "2025-02-03"})
    assert r.status_code == 400  # too late to notify for Monday
    r = hr.post("/outcomes/revisions/propose/", {"results": [results["head_d"].pk], "meeting_on": "2025-02-07"})
    assert r.status_code == 302 and r["Location"].startswith("/commission/meetings/")


def test_consequences_page_propose_refuses_360_and_exports(world, results):
    hr = client(world.hr)
    r = hr.post("/outcomes/consequences/propose/", {"result": results["head_b"].pk, "basis": "method_360",
                                                    "purpose": "bonus", "justification": "360 feedback"})
    assert r.status_code == 400 and "G23-uses" in r.content.decode()
    r = hr.post("/outcomes/consequences/propose/", {"result": results["head_b"].pk, "basis": "kpi",
                                                    "purpose": "bonus", "justification": "All KPIs met"})
    assert r.status_code == 302
    proposal = ConsequenceProposal.objects.get()
    head = client(world.authorized)
    assert head.post(f"/outcomes/consequences/{proposal.pk}/", {"version": "1", "intent": "approve"}).status_code == 302
    assert 'data-state="approved"' in hr.get("/outcomes/consequences/").content.decode()
    csv = hr.get("/outcomes/consequences/export/?format=csv").content.decode("utf-8-sig")
    assert "All KPIs met" in csv and "G23-uses" in csv
    book = load_workbook(io.BytesIO(hr.get("/outcomes/consequences/export/?format=xlsx").content))
    assert book.active.max_row == 2
    assert client(world.user("head_b")).get("/outcomes/consequences/").status_code == 403


def _count(c: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_run_a_bounded_number_of_queries(world, results, reviewer, clock):
    hr, me, rc = client(world.hr), client(world.user("head_d")), client(reviewer)
    services.propose_consequence(world.hr, world.body, results["head_b"].pk, basis="kpi", purpose="bonus",
                                 justification="x")
    appeal = services.file_appeal(world.user("head_d"), world.body, results["head_d"].pk, venue="authorized_body",
                                  reviewer_id=reviewer.pk, grounds="x")
    urls = {"board": (hr, "/outcomes/familiarization/"), "cons": (hr, "/outcomes/consequences/"),
            "me": (me, "/me/evaluation/"), "reviews": (rc, "/outcomes/appeals/review/"),
            "appeal": (rc, f"/outcomes/appeals/{appeal.pk}/")}
    for c, u in urls.values():  # the first request of a session sets it up: not counted
        c.get(u)
    few = {k: _count(c, u) for k, (c, u) in urls.items()}
    for key in ("head_c", "head_b"):
        services.propose_consequence(world.hr, world.body, results[key].pk, basis="kpi", purpose="training",
                                     justification="y")
    for key in ("head_b", "head_c"):
        services.file_appeal(world.user(key), world.body, results[key].pk, venue="authorized_body",
                             reviewer_id=reviewer.pk, grounds="z")
    many = {k: _count(c, u) for k, (c, u) in urls.items()}
    assert many == few, (few, many)
    assert factories.make_bin(9)
