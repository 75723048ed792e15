"""Who may use which address in his own body: the permission matrix's rule table.

Every URL pattern of the project and every operation of the API must have an entry here; the
matrix test fails for one without, naming it. An entry maps each HTTP method the address serves
to the actors (see world.py) allowed to use it on the world's objects in their own body. Everyone
else in the body must get 403 (or 404); every actor gets 403/404 for the other body's objects;
an anonymous caller is sent to the login page (pages) or gets 401 (API). Methods not listed must
answer 405.

"Allowed" means the permission check lets the actor through: the answer is 2xx/3xx, or a 4xx
other than 401/403/404 that refuses the request's content or the document's state (400, 409,
422), since the matrix sends the same plausible request to everyone and rolls every write back.

Optional extras per method: `form` (web) or `body` (API) callables that fill the request with
what the permission check needs to be reached (the right object ids, an intent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EVERYONE = frozenset({"subject", "manager", "superior", "servant", "hr", "secretary", "chair", "member",
                      "authorized", "reviewer", "auditor", "admin"})
NOBODY: frozenset[str] = frozenset()
HR = frozenset({"hr", "secretary"})
# cycles.access.BODY_READERS (HR, auditor; the authorized person only by an explicit grant) and the
# people of head_d's snapshot.
CYCLE_READERS = HR | {"auditor"}
DOC_READERS = CYCLE_READERS | {"subject", "manager", "superior"}
# commission.access.BODY_READERS: HR, authorized person, auditor, commission members.
COMMISSION_READERS = HR | {"chair", "member", "authorized", "auditor"}
STAFF_READERS = HR | {"auditor", "admin"}
STAFF_EDITORS = HR | {"admin"}


@dataclass(frozen=True)
class Access:
    allowed: frozenset[str]
    form: Any = None  # web POST: world -> extra form fields
    body: Any = None  # API write: (world, version) -> fields replacing the schema example
    note: str = ""


@dataclass(frozen=True)
class Rule:
    methods: dict[str, Access] = field(default_factory=dict)
    public: bool = False  # anonymous callers are served too (login page, language switch, API docs)
    self_only: bool = False  # acts on the caller himself (no object of a body): no other-body variant
    note: str = ""


def page(get: frozenset[str] | None = None, post: frozenset[str] | None = None, **kw: Any) -> Rule:
    methods = {}
    if get is not None:
        methods["GET"] = Access(get)
    if post is not None:
        methods["POST"] = Access(post, form=kw.pop("form", None))
    return Rule(methods=methods, **kw)


def op(allowed: frozenset[str], body: Any = None) -> Rule:
    return Rule(methods={"_": Access(allowed, body=body)})


def _servant_ref(w: Any, key: str) -> dict[str, int]:
    return {"servant": w.kit.servant(key).pk}


def _order_body(w: Any, version: int) -> dict[str, Any]:
    return {"number": "13-ж", "order_date": "2025-01-06", "chair": _servant_ref(w, "m1"),
            "members": [_servant_ref(w, k) for k in ("m2", "m3", "m4", "m5")],
            "secretary": {"user": w.actors["secretary"].pk}}


def _seats(w: Any) -> list[int]:
    from bagalau.commission.models import CommissionSeat

    return list(CommissionSeat.objects.filter(order_id=w.order.pk).values_list("pk", flat=True))


def _item_form(w: Any) -> dict[str, Any]:
    return {"item": w.item.pk, "choice": "approve"}


WEB: dict[str, Rule] = {
    "web:home": page(get=EVERYONE, self_only=True),
    # A signed-in user is sent home (302) from the login page.
    "web:login": page(get=EVERYONE, post=EVERYONE, public=True, self_only=True),
    "web:logout": page(post=EVERYONE, public=True, self_only=True),
    "web:switch_body": page(post=EVERYONE, self_only=True),
    "web:staff": page(get=STAFF_READERS),
    "web:staff_import": page(get=STAFF_EDITORS, post=STAFF_EDITORS),
    "web:staff_import_template_csv": page(get=STAFF_EDITORS),
    "web:staff_import_template_xlsx": page(get=STAFF_EDITORS),
    "web:inbox": page(get=EVERYONE, self_only=True),
    "web:cycles": page(get=CYCLE_READERS, post=HR, form=lambda w: {"kind": "year", "year": "2026"}),
    "web:cycle": page(get=CYCLE_READERS),
    "web:cycle_launch": page(get=HR, post=HR),
    "web:cycle_cancel": page(get=HR, post=HR, form=lambda w: {"reason": "Opened by mistake"}),
    "web:cycle_close": page(get=HR, post=HR),
    "web:plan": page(get=DOC_READERS, post=frozenset({"manager"})),
    "web:plan_review": page(post=frozenset({"superior"}), form=lambda w: {"intent": "approve"}),
    "web:sheet": page(get=DOC_READERS, post=frozenset({"manager"})),
    "web:sheet_rating": page(get=DOC_READERS),
    "web:sheet_review": page(post=frozenset({"superior"}), form=lambda w: {"intent": "agree"}),
    "web:sheet_forward": page(post=HR),
    "web:evidence": page(get=DOC_READERS),
    "web:commission": page(get=COMMISSION_READERS),
    "web:commission_order": page(post=frozenset({"authorized"}), form=lambda w: {
        "number": "13-ж", "order_date": "2025-01-06", "chair": w.kit.user("m1").pk,
        "members": [w.kit.user(k).pk for k in ("m2", "m3", "m4", "m5")], "secretary": w.actors["secretary"].pk}),
    "web:commission_propose": page(post=HR, form=lambda w: {"cycle": w.cycle.pk, "meeting_on": "2025-02-14"}),
    "web:commission_votes": page(get=COMMISSION_READERS, self_only=True),
    "web:commission_meeting": page(get=COMMISSION_READERS),
    "web:commission_consent": page(post=frozenset({"chair"})),
    "web:commission_reschedule": page(post=HR, form=lambda w: {"meeting_on": "2025-03-14", "place": "Зал"}),
    "web:commission_cancel": page(post=HR, form=lambda w: {"reason": "The chair is on sick leave"}),
    "web:commission_prepare": page(post=HR),
    "web:commission_open": page(post=frozenset({"secretary"})),
    "web:commission_attendance": page(post=frozenset({"secretary"})),
    "web:commission_vote": page(post=frozenset({"chair", "member"}), form=_item_form),
    "web:commission_decide": page(post=frozenset({"secretary"}), form=_item_form),
    "web:commission_conclude": page(post=frozenset({"secretary"})),
    "web:commission_protocol": page(get=COMMISSION_READERS),
    "web:commission_sign": page(post=frozenset({"secretary", "chair", "member"})),
    "web:commission_approve": page(post=frozenset({"authorized"})),
    "set_language": page(get=EVERYONE, post=EVERYONE, public=True, self_only=True),
    # Ranking, 360, documents, sign-in security (newer apps: the addresses whose objects the world has).
    "web:ranking_lists": page(get=EVERYONE, self_only=True),
    "web:ranking_prepare": page(post=HR),
    "web:survey360": page(get=STAFF_READERS),
    "web:survey360_mine": page(get=EVERYONE, self_only=True),
    # Starting a batch is work, not reading: HR only (the auditor reads the cycle but starts nothing).
    "web:documents_batches": page(get=CYCLE_READERS, post=HR),
    "web:two_factor_enrol": page(get=EVERYONE, post=EVERYONE, self_only=True),
    "web:two_factor_verify": page(get=EVERYONE, post=EVERYONE, self_only=True),
    "web:personal_data_export": page(get=HR, post=HR),
}

API: dict[str, Rule] = {
    "GET /api/orgs/me": op(EVERYONE),
    "GET /api/orgs/servants": op(STAFF_READERS),
    "GET /api/orgs/servants/{servant_id}/reporting-line": op(STAFF_READERS | {"subject"}),
    # accounts.safety.export.EXPORT_ROLES, as the page web:personal_data_export.
    "POST /api/orgs/servants/{servant_id}/personal-data-export": op(HR),
    "POST /api/orgs/absences": op(STAFF_EDITORS, body=lambda w, v: {
        "servant_id": w.servant.pk, "start": "2025-03-03", "end": "2025-03-07"}),
    "GET /api/cycles": op(CYCLE_READERS),
    "POST /api/cycles": op(HR, body=lambda w, v: {"kind": "year", "year": 2026}),
    "GET /api/cycles/{cycle_id}": op(CYCLE_READERS),
    "GET /api/cycles/{cycle_id}/launch-preview": op(HR),
    "POST /api/cycles/{cycle_id}/launch": op(HR),
    "POST /api/cycles/{cycle_id}/cancel": op(HR),
    "POST /api/cycles/{cycle_id}/close": op(HR),
    "GET /api/cycles/{cycle_id}/board": op(CYCLE_READERS),
    "GET /api/cycles/mine": op(EVERYONE),
    "GET /api/cycles/team": op(EVERYONE),
    "GET /api/cycles/plans/{plan_id}": op(DOC_READERS),
    "PUT /api/cycles/plans/{plan_id}": op(frozenset({"manager"})),
    "POST /api/cycles/plans/{plan_id}/submit": op(frozenset({"manager"})),
    "POST /api/cycles/plans/{plan_id}/approve": op(frozenset({"superior"})),
    "POST /api/cycles/plans/{plan_id}/return": op(frozenset({"superior"})),
    "GET /api/cycles/sheets/{sheet_id}": op(DOC_READERS),
    "PUT /api/cycles/sheets/{sheet_id}": op(frozenset({"manager"})),
    "POST /api/cycles/sheets/{sheet_id}/evidence": op(frozenset({"manager"})),
    "GET /api/cycles/evidence/{file_id}": op(DOC_READERS),
    "DELETE /api/cycles/evidence/{file_id}": op(frozenset({"manager"})),
    "POST /api/cycles/sheets/{sheet_id}/sign": op(frozenset({"manager"})),
    "POST /api/cycles/sheets/{sheet_id}/agree": op(frozenset({"superior"})),
    "POST /api/cycles/sheets/{sheet_id}/return": op(frozenset({"superior"})),
    "POST /api/cycles/sheets/{sheet_id}/forward": op(HR),
    "GET /api/inbox": op(EVERYONE),
    "GET /api/commission": op(COMMISSION_READERS),
    "POST /api/commission/orders": op(frozenset({"authorized"}), body=_order_body),
    "GET /api/commission/orders/{order_id}": op(COMMISSION_READERS),
    "PUT /api/commission/orders/{order_id}": op(frozenset({"authorized"}), body=_order_body),
    "POST /api/commission/orders/{order_id}/issue": op(frozenset({"authorized"})),
    "POST /api/commission/orders/{order_id}/amend": op(frozenset({"authorized"}), body=_order_body),
    "GET /api/commission/meetings": op(COMMISSION_READERS),
    "POST /api/commission/meetings": op(HR, body=lambda w, v: {"cycle_id": w.cycle.pk, "meeting_on": "2025-02-14"}),
    "GET /api/commission/meetings/{meeting_id}": op(COMMISSION_READERS),
    "POST /api/commission/meetings/{meeting_id}/reschedule": op(HR, body=lambda w, v: {"meeting_on": "2025-02-14"}),
    "POST /api/commission/meetings/{meeting_id}/consent": op(frozenset({"chair"})),
    "POST /api/commission/meetings/{meeting_id}/refresh-agenda": op(HR),
    "POST /api/commission/meetings/{meeting_id}/draft-protocol": op(HR),
    "POST /api/commission/meetings/{meeting_id}/cancel": op(HR),
    "POST /api/commission/meetings/{meeting_id}/open": op(frozenset({"secretary"}),
                                                          body=lambda w, v: {"present": _seats(w)}),
    "PUT /api/commission/meetings/{meeting_id}/attendance": op(frozenset({"secretary"}),
                                                                body=lambda w, v: {"present": _seats(w)}),
    "POST /api/commission/meetings/{meeting_id}/conclude": op(frozenset({"secretary"})),
    "POST /api/commission/meetings/{meeting_id}/approve": op(frozenset({"authorized"})),
    "GET /api/commission/meetings/{meeting_id}/protocol": op(COMMISSION_READERS),
    "POST /api/commission/meetings/{meeting_id}/protocol/sign": op(frozenset({"secretary", "chair", "member"})),
    "GET /api/commission/items/{item_id}": op(COMMISSION_READERS),
    "POST /api/commission/items/{item_id}/vote": op(frozenset({"chair", "member"}),
                                                    body=lambda w, v: {"choice": "approve"}),
    "POST /api/commission/items/{item_id}/decide": op(frozenset({"secretary"})),
    "POST /api/commission/items/{item_id}/withdraw": op(frozenset({"secretary"})),
    "GET /api/commission/my-votes": op(COMMISSION_READERS),
    "GET /api/commission/approval-queue": op(frozenset({"authorized"})),
    "GET /api/commission/results": op(HR | {"authorized", "auditor"}),
    "GET /api/ranking/lists": op(EVERYONE),
    "POST /api/ranking/cycles/{cycle_id}/prepare": op(HR),
    "GET /api/documents/forms": op(EVERYONE),
}

# Addresses outside the matrix's two families, each with the reason and the test that covers it.
ELSEWHERE = {
    "api:openapi-json": "the API description, public by design (tests/api_schema)",
    "api:openapi-view": "the API docs page, public by design",
    "api:api-root": "Ninja's root, 404 for every method",
    "api:not_found": "every unmatched /api/ path: 404 in the API's error shape (tests/api_schema)",
}
# The HR back office: every admin address is checked family-wide (test_admin_family_is_closed_to_everyone_but_staff,
# test_admin_does_not_open_the_other_body_s_rows_to_its_staff).
ADMIN_PREFIX = "admin:"


# == Newer apps: ranking lists, 360 surveys, outcomes of results, documents ===========================
# Their objects are built by world_more.py (see its docstring for whose they are).
# ranking.access: the list's rater (head_b, who ranks his specialists) signs and saves it, the
# superior (the first head, the snapshot's sheet reviewer) agrees or returns it, HR forwards it; HR,
# the authorized person and the auditor read every list.
RANKING_RATER = frozenset({"superior"})
RANKING_LIST_READERS = HR | {"auditor", "authorized"} | RANKING_RATER
SURVEY_MANAGERS = HR | {"admin"}  # survey360.access.MANAGERS
SURVEY_READERS = SURVEY_MANAGERS | {"auditor"}  # survey360.access.READERS
# The world's 360 is head_c's (the "manager" actor: he reads his own report) and head_d (the
# "subject") is the rater whose questionnaire the matrix asks for.
# outcomes.access.BODY_READERS: HR, the authorized person, the auditor.
OUTCOME_READERS = HR | {"authorized", "auditor"}
RESULT_SERVANT = frozenset({"superior"})  # head_b: the result, familiarization, appeal and proposal are his
APPEAL_REVIEWER = frozenset({"reviewer"})  # the only actor holding the Appeal reviewer grant
# documents: what the object's own page lets read (a KPI sheet: DOC_READERS) and the cycle's readers.
# Starting or resuming a batch writes jobs, files and audit events: HR (documents.services
# .require_batch_runner also names the administrator and the authorized person, but the cycle's read
# check comes first and lets neither through here). Never the auditor, whose access is read-only.
BATCH_STARTERS = HR


WEB.update({
    "web:ranking_list": page(get=RANKING_LIST_READERS, post=RANKING_RATER),
    "web:survey360_create": page(post=SURVEY_MANAGERS,
                                 form=lambda w: {"servant": w.kit.servant("head_b").pk}),
    "web:survey360_survey": page(get=SURVEY_READERS),
    "web:survey360_assign": page(post=SURVEY_MANAGERS, form=lambda w: {"rater": w.kit.servant("m2").pk,
                                                                       "role": "peer"}),
    "web:survey360_withdraw": page(post=SURVEY_MANAGERS),
    "web:survey360_send": page(post=SURVEY_MANAGERS),
    "web:survey360_close": page(post=SURVEY_MANAGERS),
    "web:survey360_cancel": page(post=SURVEY_MANAGERS),
    # survey360.access.require_report_reader: HR, the administrator and the servant evaluated (head_c).
    "web:survey360_report": page(get=SURVEY_MANAGERS | {"manager"}),
    "web:survey360_report_csv": page(get=SURVEY_MANAGERS | {"manager"}),
    "web:survey360_questionnaire": page(get=frozenset({"subject"}), post=frozenset({"subject"})),
    "web:my_evaluation": page(get=EVERYONE, self_only=True),
    "web:my_sign": page(post=RESULT_SERVANT),
    "web:my_refuse": page(post=RESULT_SERVANT),
    "web:my_appeal": page(post=RESULT_SERVANT),
    "web:my_notifications": page(get=EVERYONE, post=EVERYONE, self_only=True),
    "web:outcomes_board": page(get=OUTCOME_READERS),
    "web:outcomes_act": page(get=OUTCOME_READERS | RESULT_SERVANT),
    "web:outcomes_draw_act": page(post=HR),
    "web:outcomes_deliver": page(post=HR),
    "web:outcomes_remote": page(post=HR),
    # The reviewer's list shows what is addressed to the caller; without the Appeal reviewer grant
    # (outcomes.access.require_reviewer) the page, like the API, refuses.
    "web:outcomes_reviews": page(get=APPEAL_REVIEWER, self_only=True),
    "web:outcomes_appeal": page(get=OUTCOME_READERS | RESULT_SERVANT | {"reviewer"}),
    "web:outcomes_appeal_decide": page(post=frozenset({"reviewer"})),
    "web:outcomes_revisions": page(get=OUTCOME_READERS),
    "web:outcomes_revision_propose": page(post=HR),
    "web:outcomes_consequences": page(get=OUTCOME_READERS),
    "web:outcomes_consequence_propose": page(post=HR, form=lambda w: {
        "result": w.extra["result"].pk, "basis": "kpi", "purpose": "bonus", "justification": "Every KPI met."}),
    "web:outcomes_consequence_decide": page(post=frozenset({"authorized"})),
    "web:outcomes_consequences_export": page(get=OUTCOME_READERS),
    "web:documents_download": page(get=DOC_READERS),
    "web:documents_file": page(get=DOC_READERS),
    "web:documents_batch_progress": page(get=CYCLE_READERS),
    "web:documents_batch_resume": page(post=BATCH_STARTERS),
    "web:documents_batch_zip": page(get=CYCLE_READERS),
})

API.update({
    "GET /api/ranking/lists/{list_id}": op(RANKING_LIST_READERS),
    "PUT /api/ranking/lists/{list_id}": op(RANKING_RATER),
    "POST /api/ranking/lists/{list_id}/sign": op(RANKING_RATER),
    "POST /api/ranking/lists/{list_id}/agree": op(frozenset({"authorized"})),
    "POST /api/ranking/lists/{list_id}/return": op(frozenset({"authorized"})),
    "POST /api/ranking/lists/{list_id}/forward": op(HR),
    # survey360.access.require_reader: the same readers as the page's list, 403 for anyone else.
    "GET /api/survey360/surveys": op(SURVEY_READERS),
    "POST /api/survey360/surveys": op(SURVEY_MANAGERS, body=lambda w, v: {"servant": w.kit.servant("head_b").pk}),
    "GET /api/survey360/surveys/{survey_id}": op(SURVEY_READERS),
    "POST /api/survey360/surveys/{survey_id}/raters": op(SURVEY_MANAGERS),
    "POST /api/survey360/raters/{assignment_id}/withdraw": op(SURVEY_MANAGERS),
    "POST /api/survey360/surveys/{survey_id}/open": op(SURVEY_MANAGERS),
    "POST /api/survey360/surveys/{survey_id}/close": op(SURVEY_MANAGERS),
    "POST /api/survey360/surveys/{survey_id}/cancel": op(SURVEY_MANAGERS),
    "GET /api/survey360/surveys/{survey_id}/report": op(SURVEY_MANAGERS | {"manager"}),
    "GET /api/survey360/surveys/{survey_id}/suggestions": op(SURVEY_READERS),
    "GET /api/survey360/surveys/{survey_id}/uses/{purpose}": op(SURVEY_READERS),
    "GET /api/survey360/questionnaires": op(EVERYONE),
    "GET /api/survey360/questionnaires/{assignment_id}": op(frozenset({"subject"})),
    "POST /api/survey360/questionnaires/{assignment_id}/answers": op(frozenset({"subject"})),
    "GET /api/outcomes/me": op(EVERYONE),
    "GET /api/outcomes/preferences": op(EVERYONE),
    "PUT /api/outcomes/preferences": op(EVERYONE),
    "GET /api/outcomes/familiarizations": op(OUTCOME_READERS),
    "GET /api/outcomes/familiarizations/{familiarization_id}": op(OUTCOME_READERS | RESULT_SERVANT),
    "POST /api/outcomes/familiarizations/{familiarization_id}/sign": op(RESULT_SERVANT),
    "POST /api/outcomes/familiarizations/{familiarization_id}/refuse": op(RESULT_SERVANT),
    "POST /api/outcomes/familiarizations/{familiarization_id}/refusal-act": op(HR),
    "POST /api/outcomes/familiarizations/{familiarization_id}/delivery": op(HR),
    "POST /api/outcomes/familiarizations/{familiarization_id}/remote-notices": op(HR, body=lambda w, v: {
        "channel": "sms"}),
    # The body's readers, and the servant whose participation it is (head_b reads his own history).
    "GET /api/outcomes/participants/{participant_id}/results": op(OUTCOME_READERS | RESULT_SERVANT),
    "POST /api/outcomes/results/{result_id}/appeals": op(RESULT_SERVANT),
    "POST /api/outcomes/results/{result_id}/court-cases": op(HR),
    "GET /api/outcomes/appeals": op(OUTCOME_READERS),
    "GET /api/outcomes/appeals/addressed-to-me": op(APPEAL_REVIEWER),
    "GET /api/outcomes/appeals/{appeal_id}": op(OUTCOME_READERS | RESULT_SERVANT | {"reviewer"}),
    "POST /api/outcomes/appeals/{appeal_id}/outcome": op(frozenset({"reviewer"}), body=lambda w, v: {
        "outcome": "leave_unrevised"}),
    "GET /api/outcomes/revisions": op(OUTCOME_READERS),
    "POST /api/outcomes/revisions/meetings": op(HR),
    "GET /api/outcomes/consequences": op(OUTCOME_READERS),
    "POST /api/outcomes/consequences": op(HR),
    "GET /api/outcomes/consequences/export": op(OUTCOME_READERS),
    "POST /api/outcomes/consequences/{proposal_id}/decision": op(frozenset({"authorized"})),
    "POST /api/outcomes/consequences/{proposal_id}/withdraw": op(HR),
    "POST /api/documents/generate": op(DOC_READERS, body=lambda w, v: {
        "form": "kpi_sheet", "object_id": w.sheet.pk, "language": "ru", "format": "pdf"}),
    "GET /api/documents/objects/{form}/{object_id}": op(DOC_READERS),
    "GET /api/documents/{document_id}": op(DOC_READERS),
    "GET /api/documents/{document_id}/file": op(DOC_READERS),
    "POST /api/documents/batches": op(BATCH_STARTERS),
    "GET /api/documents/batches/{job_id}": op(CYCLE_READERS),
    "POST /api/documents/batches/{job_id}/resume": op(BATCH_STARTERS),
    "GET /api/documents/batches/{job_id}/zip": op(CYCLE_READERS),
})
