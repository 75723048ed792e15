"""The newer apps' pages and read endpoints (ranking, 360 surveys, outcomes of results, documents,
notification settings) run the same number of SQL queries for the small body and for
the large one (bodies.py); and every GET page and read endpoint of the application is counted here
or in test_perf_queries.py, or exempted below with the reason, so a new one cannot be left out.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count
from django.urls import resolve, reverse

from bagalau.assessments.ranking.models import RankingEntry, RankingList
from bagalau.assessments.survey360.models import RaterAssignment, Survey360
from bagalau.commission.models import CommissionMeeting
from bagalau.documents.models import BatchJob
from bagalau.outcomes.models import Appeal, ConsequenceProposal, Familiarization
from tests.perf import test_perf_queries as older
from tests.perf.bodies import Body
from tests.perf.counting import Page, compare
from tests.security import rules
from tests.security.endpoints import api_operations, openapi_path_of, url_entries

pytestmark = pytest.mark.django_db


def _hr(b: Body) -> Any:
    return b.probe.hr


def _chairman(b: Body) -> Any:
    return b.probe.chairman


def _servant(b: Body) -> Any:
    """A servant who refused to sign his final result (HR drew the act)."""
    return b.more["servant"]


def _reviewer(b: Body) -> Any:
    return b.more["reviewer"]


def _survey(b: Body) -> int:
    return b.more["survey"]


def _order(b: Body) -> int:
    assert b.meeting is not None
    return CommissionMeeting.objects.get(pk=b.meeting).order_id


WEB: dict[str, Page] = {
    "sheet rating": (_chairman, lambda b: reverse("web:sheet_rating", args=[b.sheet])),
    "ranking lists (HR)": (_hr, lambda b: reverse("web:ranking_lists")),
    "ranking lists (evaluator)": (lambda b: b.more["ranking_evaluator"], lambda b: reverse("web:ranking_lists")),
    "ranking list": (_hr, lambda b: reverse("web:ranking_list", args=[b.more["ranking_list"]])),
    "360 surveys": (_hr, lambda b: reverse("web:survey360")),
    "360 survey": (_hr, lambda b: reverse("web:survey360_survey", args=[_survey(b)])),
    "360 report": (_hr, lambda b: reverse("web:survey360_report", args=[_survey(b)])),
    "360 report CSV": (_hr, lambda b: reverse("web:survey360_report_csv", args=[_survey(b)])),
    "360 my questionnaires": (_chairman, lambda b: reverse("web:survey360_mine")),
    "360 questionnaire": (_chairman, lambda b: reverse("web:survey360_questionnaire", args=[b.more["assignment"]])),
    "my evaluation": (_servant, lambda b: reverse("web:my_evaluation")),
    "my notifications": (_servant, lambda b: reverse("web:my_notifications")),
    "familiarization board": (_hr, lambda b: reverse("web:outcomes_board")),
    "familiarization with refusal act": (_hr, lambda b: reverse("web:outcomes_act", args=[b.more["refused"]])),
    "appeals addressed to me": (_reviewer, lambda b: reverse("web:outcomes_reviews")),
    "appeal": (_hr, lambda b: reverse("web:outcomes_appeal", args=[b.more["appeal"]])),
    "revisions": (_hr, lambda b: reverse("web:outcomes_revisions")),
    "consequences": (_hr, lambda b: reverse("web:outcomes_consequences")),
    "consequences export": (_hr, lambda b: reverse("web:outcomes_consequences_export")),
    "document batches": (_hr, lambda b: reverse("web:documents_batches", args=[b.probe.cycle_id])),
}

API: dict[str, Page] = {
    "api orgs me": (_chairman, lambda b: "/api/orgs/me"),
    "api reporting line": (_hr, lambda b: f"/api/orgs/servants/{b.specialist.pk}/reporting-line"),
    "api cycle": (_hr, lambda b: f"/api/cycles/{b.probe.cycle_id}"),
    "api commission order": (_hr, lambda b: f"/api/commission/orders/{_order(b)}"),
    "api commission protocol": (_hr, lambda b: f"/api/commission/meetings/{b.meeting}/protocol"),
    "api ranking lists": (_hr, lambda b: "/api/ranking/lists"),
    "api ranking list": (_hr, lambda b: f"/api/ranking/lists/{b.more['ranking_list']}"),
    "api 360 surveys": (_hr, lambda b: "/api/survey360/surveys"),
    "api 360 survey": (_hr, lambda b: f"/api/survey360/surveys/{_survey(b)}"),
    "api 360 report": (_hr, lambda b: f"/api/survey360/surveys/{_survey(b)}/report"),
    "api 360 suggestions": (_hr, lambda b: f"/api/survey360/surveys/{_survey(b)}/suggestions"),
    "api 360 my questionnaires": (_chairman, lambda b: "/api/survey360/questionnaires"),
    "api 360 questionnaire": (_chairman, lambda b: f"/api/survey360/questionnaires/{b.more['assignment']}"),
    "api my outcomes": (_servant, lambda b: "/api/outcomes/me"),
    "api my preferences": (_servant, lambda b: "/api/outcomes/preferences"),
    "api familiarizations": (_hr, lambda b: "/api/outcomes/familiarizations"),
    "api familiarization": (_hr, lambda b: f"/api/outcomes/familiarizations/{b.more['refused']}"),
    "api results of a participant": (_hr, lambda b: f"/api/outcomes/participants/{b.more['participant']}/results"),
    "api appeals": (_hr, lambda b: "/api/outcomes/appeals"),
    "api appeals addressed to me": (_reviewer, lambda b: "/api/outcomes/appeals/addressed-to-me"),
    "api appeal": (_hr, lambda b: f"/api/outcomes/appeals/{b.more['appeal']}"),
    "api revisions": (_hr, lambda b: "/api/outcomes/revisions"),
    "api consequences": (_hr, lambda b: "/api/outcomes/consequences"),
    "api consequences export": (_hr, lambda b: "/api/outcomes/consequences/export"),
    "api document forms": (_hr, lambda b: "/api/documents/forms"),
    "api documents of an object": (_hr, lambda b: f"/api/documents/objects/kpi_sheet/{b.sheet}"),
    "api document": (_hr, lambda b: f"/api/documents/{b.more['document'].pk}"),
    "api document batch": (_hr, lambda b: f"/api/documents/batches/{b.more['job']}"),
}


# GET addresses that are not counted, each with why: files, forms that list nothing, redirects.
EXEMPT: dict[str, str] = {
    "web:login": "a form; a signed-in user is redirected home",
    "web:staff_import_template_csv": "a fixed template file",
    "web:staff_import_template_xlsx": "a fixed template file",
    "web:evidence": "a file download",
    "web:documents_download": "renders or serves one document's file",
    "web:documents_file": "a file download",
    "web:documents_batch_zip": "a ZIP download",
    "web:documents_batch_progress": "one job's row, polled by htmx (a redirect otherwise); the job is read as in "
                                    "api document batch",
    "web:two_factor_enrol": "a form about the caller alone",
    "web:two_factor_verify": "a form about the caller alone",
    "web:personal_data_export": "a form; the export itself is a POST",
    "GET /api/cycles/evidence/{file_id}": "a file download",
    "GET /api/survey360/surveys/{survey_id}/uses/{purpose}": "one survey's yes or no (in the typical G2023 text "
                                                              "always no, 422), nothing listed",
    "GET /api/documents/{document_id}/file": "a file download",
    "GET /api/documents/batches/{job_id}/zip": "a ZIP download",
}


def _address(url: str) -> str:
    """A counted address by the name the guard knows it by: the url name of a page, "GET <OpenAPI
    path>" of an API operation."""
    match = resolve(url.split("?")[0])
    if match.namespace == "api":
        return f"GET {openapi_path_of(match.route)}"
    return f"{match.namespace}:{match.url_name}"


def _get_addresses() -> set[str]:
    """Every GET page of the `web` namespace (the permission matrix's rule says which methods an
    address serves) and every GET operation of the OpenAPI document."""
    pages = {e.name for e in url_entries() if e.name.startswith("web:")}
    missing_rule = pages - set(rules.WEB)
    assert not missing_rule, f"pages without a rule in tests/security/rules.py: {sorted(missing_rule)}"
    return ({name for name in pages if "GET" in rules.WEB[name].methods}
            | {o.key for o in api_operations() if o.method == "GET"})


def test_every_get_page_and_endpoint_is_counted_or_exempt(bodies_with_newer_apps):
    small = bodies_with_newer_apps[0]
    counted = {_address(where(small)) for pages in (older.WEB, older.API, WEB, API) for _who, where in pages.values()}
    addresses = _get_addresses()
    left_out = sorted(addresses - counted - set(EXEMPT))
    assert not left_out, ("GET addresses with no query-count test: add each to WEB/API in tests/perf/"
                          "test_perf_queries*.py, or to EXEMPT with the reason:\n  " + "\n  ".join(left_out))
    stale = sorted(set(EXEMPT) - addresses)
    assert not stale, f"EXEMPT names addresses that are not GET addresses: {stale}"
    both = sorted(set(EXEMPT) & counted)
    assert not both, f"counted and exempt at once: {both}"


def test_every_newer_page_costs_the_same_for_few_and_many_rows(client, bodies_with_newer_apps):
    compare(client, bodies_with_newer_apps, WEB)


def test_every_newer_endpoint_costs_the_same_for_few_and_many_rows(client, bodies_with_newer_apps):
    compare(client, bodies_with_newer_apps, API)


def _rows(b: Body) -> dict[str, int]:
    cycle = b.probe.cycle_id
    longest = RankingList.objects.filter(cycle_id=cycle).annotate(n=Count("entries")).order_by("-n").first()
    return {
        "ranking lists": RankingList.objects.filter(cycle_id=cycle).count(),
        "entries of the longest list": longest.n if longest else 0,  # type: ignore[attr-defined]
        "ranking entries": RankingEntry.objects.filter(ranking_list__cycle_id=cycle).count(),
        "360 surveys": Survey360.objects.filter(body=b.probe.body).count(),
        "chairman's questionnaires": RaterAssignment.objects.filter(rater__user=b.probe.chairman).count(),
        "familiarizations": Familiarization.objects.filter(body=b.probe.body).count(),
        "refusal acts": Familiarization.objects.filter(body=b.probe.body, refusal_act__isnull=False).count(),
        "appeals": Appeal.objects.filter(body=b.probe.body).count(),
        "revisions": Appeal.objects.filter(body=b.probe.body, outcome="recommend_cancel_and_revise").count(),
        "consequence proposals": ConsequenceProposal.objects.filter(body=b.probe.body).count(),
        "batch jobs": BatchJob.objects.filter(body=b.probe.body).count(),
    }


def test_the_large_body_really_has_many_more_of_the_newer_rows(bodies_with_newer_apps):
    """The comparison means something only if each list of the large body is several times the
    small one's (and the small one's is not empty)."""
    few, many = (_rows(b) for b in bodies_with_newer_apps)
    thin = {k: (few[k], many[k]) for k in few if not (few[k] >= 1 and many[k] >= 5 * few[k])}
    assert not thin, f"(small, large) rows not far enough apart: {thin}; all: {few} vs {many}"
