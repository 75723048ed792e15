"""The outcomes API: the whole after-the-decision path as an integrator drives it, and the error
shapes (403 role, 404 other body, 409 illegal move or stale version, 422 naming the field)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from bagalau.outcomes.models import Familiarization
from tests import factories
from tests.api_cycles.support import Api, fields
from tests.outcomes import kit as out

D = dt.date
BASE = "/api/outcomes"


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.content)
    return response.json()


def _fam_id(results, key):
    return Familiarization.objects.get(result=results[key]).pk


def test_sign_refuse_act_deliver_and_the_board(world, results, clock):
    servant = Api(world.user("head_b"))
    me = ok(servant.get(f"{BASE}/me"))
    (mine,) = me["results"]
    assert (mine["sign_by"]["on"], mine["sign_by"]["clause"], mine["appeal_by"]["on"]) == (
        "2025-01-21", "G23-familiarization", "2025-01-31")
    fam = ok(servant.post(f"{BASE}/familiarizations/{mine['familiarization_id']}/sign",
                          {"expected_version": mine["familiarization_version"]}))
    assert (fam["state"], fam["signed_on_time"]) == ("signed", True)

    refuser = Api(world.user("head_d"))
    fid = _fam_id(results, "head_d")
    fam = ok(refuser.post(f"{BASE}/familiarizations/{fid}/refuse", {"expected_version": 1, "note": "Келіспеймін"}))
    hr = Api(world.hr)
    act = {"expected_version": fam["version"], "number": "1-А", "text_kk": "Акт", "text_ru": "Акт",
           "witnesses": [world.servant("m6").pk, world.servant("head_d").pk]}
    r = hr.post(f"{BASE}/familiarizations/{fid}/refusal-act", act)
    assert r.status_code == 422 and fields(r) == {"witnesses"} and "G23-familiarization" in r.content.decode()
    act["witnesses"] = [world.servant("m6").pk, world.servant("m7").pk]
    fam = ok(hr.post(f"{BASE}/familiarizations/{fid}/refusal-act", act), 201)
    assert (fam["state"], fam["act"]["clause"], fam["act"]["verified"]) == ("act_drawn", "G23-familiarization", False)
    r = hr.post(f"{BASE}/familiarizations/{fid}/delivery", {"expected_version": fam["version"] + 1,
                                                            "channel": "intranet_portal"})
    assert r.status_code == 409
    fam = ok(hr.post(f"{BASE}/familiarizations/{fid}/delivery", {"expected_version": fam["version"],
                                                                 "channel": "intranet_portal"}))
    assert (fam["state"], fam["act"]["delivery_channel"]) == ("delivered", "intranet_portal")

    board = ok(hr.get(f"{BASE}/familiarizations", {"only_open": "true"}))
    assert [b["servant_id"] for b in board] == [world.servant("head_c").pk]
    assert servant.get(f"{BASE}/familiarizations").status_code == 403
    assert refuser.post(f"{BASE}/familiarizations/{fid}/sign", {"expected_version": 9}).status_code in (403, 409)


def test_remote_notice_upload_is_checked_by_content(world, results, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out.sick(world, "head_c", D(2025, 1, 10), D(2025, 2, 10))
    fid = _fam_id(results, "head_c")
    hr = Api(world.hr)
    url = f"{BASE}/familiarizations/{fid}/remote-notices"
    fake = SimpleUploadedFile("letter.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    r = hr.client.post(url, {"channel": "registered_letter", "expected_version": 1, "proof": fake})
    assert r.status_code == 422 and fields(r) == {"proof"}
    proof = SimpleUploadedFile("letter.pdf", out.PDF, content_type="application/pdf")
    r = hr.client.post(url, {"channel": "registered_letter", "expected_version": 1, "reference": "RR1KZ",
                             "proof": proof})
    fam = ok(r, 201)
    assert fam["state"] == "remote" and fam["remote_notices"][0]["proof_type"] == "application/pdf"


def test_appeal_reviewer_and_revision_meeting(world, results, reviewer, clock):
    servant = Api(world.user("head_d"))
    clock.day = D(2025, 2, 4)
    appeal = ok(servant.post(f"{BASE}/results/{results['head_d'].pk}/appeals",
                             {"venue": "authorized_body", "reviewer_id": reviewer.pk, "grounds": "KPI 3"}), 201)
    assert (appeal["timeliness"], appeal["late"], appeal["last_day"]["on"]) == ("LATE", True, "2025-01-31")
    rev = Api(reviewer)
    assert [a["id"] for a in ok(rev.get(f"{BASE}/appeals/addressed-to-me"))] == [appeal["id"]]
    other = Api(out.reviewer(world, "reviewer2"))
    assert ok(other.get(f"{BASE}/appeals/addressed-to-me")) == []
    assert other.get(f"{BASE}/appeals/{appeal['id']}").status_code == 404
    r = rev.client.post(f"{BASE}/appeals/{appeal['id']}/outcome",
                        {"outcome": "recommend_cancel_and_revise", "expected_version": 1})
    assert r.status_code == 422 and fields(r) == {"note"}
    decided = ok(rev.client.post(f"{BASE}/appeals/{appeal['id']}/outcome",
                                 {"outcome": "recommend_cancel_and_revise", "expected_version": 1,
                                  "note": "Evidence ignored"}))
    assert decided["state"] == "revision"
    hr = Api(world.hr)
    assert [a["id"] for a in ok(hr.get(f"{BASE}/revisions"))] == [appeal["id"]]
    r = hr.post(f"{BASE}/revisions/meetings", {"result_ids": [results["head_b"].pk], "meeting_on": "2025-02-14"})
    assert r.status_code == 422 and fields(r) == {"results"}
    meeting = ok(hr.post(f"{BASE}/revisions/meetings", {"result_ids": [results["head_d"].pk],
                                                        "meeting_on": "2025-02-14"}), 201)
    assert (meeting["state"], meeting["notice_by"]) == ("proposed", "2025-02-11")


def test_consequences_refuse_360_and_export(world, results):
    hr = Api(world.hr)
    r = hr.post(f"{BASE}/consequences", {"result_id": results["head_b"].pk, "basis": "method_360",
                                         "purpose": "bonus", "justification": "360"})
    assert r.status_code == 422 and fields(r) == {"basis"} and "G23-uses" in r.content.decode()
    p = ok(hr.post(f"{BASE}/consequences", {"result_id": results["head_b"].pk, "basis": "kpi", "purpose": "bonus",
                                            "justification": "=SUM(A1)"}), 201)
    auth = Api(world.authorized)
    assert hr.post(f"{BASE}/consequences/{p['id']}/decision", {"expected_version": 1, "approve": True}
                   ).status_code == 403
    assert ok(auth.post(f"{BASE}/consequences/{p['id']}/decision",
                        {"expected_version": 1, "approve": True}))["state"] == "approved"
    csv = hr.get(f"{BASE}/consequences/export", {"format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv") and "'=SUM(A1)" in text and "G23-uses" in text
    xlsx = hr.get(f"{BASE}/consequences/export", {"format": "xlsx"})
    import io

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 2 and sheet.cell(2, 8).value == "bonus"
    assert Api(world.user("head_b")).get(f"{BASE}/consequences").status_code == 403


def test_another_body_gets_404_and_preferences_are_ones_own(world, results, other_body, other_hr):
    fid = _fam_id(results, "head_b")
    assert Api(other_hr).get(f"{BASE}/familiarizations/{fid}").status_code == 404
    assert Api(other_hr).post(f"{BASE}/results/{results['head_b'].pk}/court-cases",
                              {"court": "X", "filed_on": "2025-01-20"}).status_code == 404
    me = Api(world.user("head_b"))
    assert ok(me.put(f"{BASE}/preferences", {"language": "ru", "email": True, "sms": False})) == {
        "language": "ru", "email": True, "sms": False}
    assert me.put(f"{BASE}/preferences", {"language": "en", "email": True, "sms": False}).status_code == 422
    assert factories.make_bin(3)
