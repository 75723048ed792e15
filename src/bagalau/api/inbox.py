"""The caller's inbox: the open work items of the current body that need him now (his own and
those addressed to a role he holds there), soonest due first, each with its due date and the rule
and clause it came from. Reading only; items open and close with the workflow steps."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema

from bagalau.api.context import body_of
from bagalau.api.errors import ERRORS
from bagalau.api.types import Offset
from bagalau.inbox.models import WorkItem
from bagalau.inbox.selectors import inbox_for

router = Router(tags=["inbox"])

# The API resource of the documents whose items the API can act on (object_type -> url name).
API_RESOURCES = {
    "cycles.individualworkplan": ("api:cycles_plan_detail", "plan_id"),
    "cycles.kpisheet": ("api:cycles_sheet_detail", "sheet_id"),
}


class InboxQuery(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0


class WorkItemOut(Schema):
    id: int
    action: str = Field(description="What is to be done, e.g. iwp.approve, sheet.review, sheet.forward.")
    title: str = Field(description="In the language of the request.")
    title_kk: str
    title_ru: str
    object_type: str
    object_id: str
    api_url: str | None = Field(description="The document in this API, when the API serves it.")
    subject_servant_id: int | None
    subject_servant_name: str | None
    personal: bool = Field(description="True when addressed to the caller; false when to a role he holds.")
    assignee_role: str
    due: dt.date | None
    due_rule: str
    due_clause: str
    overdue: bool
    opened_at: dt.datetime


class InboxOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[WorkItemOut]


def _api_url(item: WorkItem) -> str | None:
    target = API_RESOURCES.get(item.object_type)
    if target is None or not item.object_id.isdigit():
        return None
    name, kwarg = target
    return reverse(name, kwargs={kwarg: int(item.object_id)})


@router.get("", response={200: InboxOut, **ERRORS}, summary="What needs me now, soonest due first")
def my_inbox(request: HttpRequest, q: Query[InboxQuery]) -> InboxOut:
    qs = inbox_for(request.user, body_of(request))
    count = qs.count()
    today = timezone.localdate()
    lang = (get_language() or "kk")[:2]
    items = [WorkItemOut(
        id=i.pk, action=i.action, title=i.title(lang if lang in ("kk", "ru", "en") else "kk"), title_kk=i.title_kk,
        title_ru=i.title_ru, object_type=i.object_type, object_id=i.object_id, api_url=_api_url(i),
        subject_servant_id=i.subject_servant_id,
        subject_servant_name=i.subject_servant.full_name if i.subject_servant else None,
        personal=i.assignee_id == request.user.pk, assignee_role=i.assignee_role, due=i.due, due_rule=i.due_rule,
        due_clause=i.due_clause, overdue=i.due is not None and i.due < today, opened_at=i.opened_at,
    ) for i in qs[q.offset: q.offset + q.limit]]
    return InboxOut(count=count, limit=q.limit, offset=q.offset, items=items)
