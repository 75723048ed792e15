"""The inbox: "what needs me now", soonest due first, on its own page and in the home page's
"My tasks". Each entry: the title in the active language, the servant it is about, the due date with
its rule and clause, an overdue badge and the link to act.

The items come from `inbox.selectors.inbox_for` in one query (the subject servant joined), so the
page costs the same with 10 items as with 200.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from bagalau.cycles import clock
from bagalau.cycles import selectors as cycle_selectors
from bagalau.cycles.models import IndividualWorkPlan, KpiSheet, Track
from bagalau.inbox.models import WorkItem
from bagalau.inbox.selectors import inbox_counts, inbox_for
from bagalau.orgs.models import StateBody
from bagalau.web.context_processors import remember_inbox_count
from bagalau.web.cycles import display
from bagalau.web.cycles.common import body_view
from bagalau.web.cycles.display import DueInfo, due_info, lang

PAGE_SIZE = 50
HOME_LIMIT = 5
HOME_EVALUATIONS = 3

# The page of each document type a work item can point at.
DOCUMENT_PAGES = {"cycles.individualworkplan": "web:plan", "cycles.kpisheet": "web:sheet"}

ACTION_BUTTONS = {
    "iwp.draft": gettext_lazy("Draft the plan"),
    "iwp.correct": gettext_lazy("Correct the plan"),
    "iwp.approve": gettext_lazy("Approve or return"),
    "sheet.fill": gettext_lazy("Fill in the sheet"),
    "sheet.correct": gettext_lazy("Correct the sheet"),
    "sheet.review": gettext_lazy("Review the sheet"),
    "sheet.forward": gettext_lazy("Submit to the Commission"),
}


@dataclass(frozen=True)
class Entry:
    item: WorkItem
    title: str
    subject: str
    due: DueInfo
    url: str
    button: str


def link_for(item: WorkItem) -> str:
    if item.url:
        return item.url
    name = DOCUMENT_PAGES.get(item.object_type)
    if name and item.object_id.isdigit():
        try:
            return reverse(name, args=[int(item.object_id)])
        except NoReverseMatch:
            return ""
    return ""


def entries(items: Iterable[WorkItem], today: dt.date) -> list[Entry]:
    language = lang()
    out = []
    for item in items:
        subject = item.subject_servant.full_name if item.subject_servant is not None else ""
        due = due_info(item.due, item.due_rule, item.due_clause, today=today, explanation=item.due_explanation)
        if item.due is not None and item.overdue_since is not None:
            due = DueInfo(on=due.on, label=due.label, rule_text=due.rule_text, clause=due.clause, overdue=True,
                          lines=due.lines)
        out.append(Entry(item=item, title=item.title(language), subject=subject, due=due, url=link_for(item),
                         button=str(ACTION_BUTTONS.get(item.action, gettext_lazy("Open")))))
    return out


@dataclass(frozen=True)
class Tasks:
    """The home page's "My tasks": the first few entries and how many there are."""

    entries: list[Entry]
    total: int
    overdue: int

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.entries))


def home_tasks(request: HttpRequest, body: StateBody) -> Tasks:
    """Two queries whatever the inbox's length: the first entries, and the counts (which the
    page shell's inbox link reuses)."""
    today = clock.today()
    counts = inbox_counts(request.user, body, today=today)
    remember_inbox_count(request, counts.open)
    first = list(inbox_for(request.user, body)[:HOME_LIMIT]) if counts.open else []
    return Tasks(entries=entries(first, today), total=counts.open, overdue=counts.overdue)


@body_view
@require_safe
def inbox(request: HttpRequest, body: StateBody) -> HttpResponse:
    today = clock.today()
    counts = inbox_counts(request.user, body, today=today)
    remember_inbox_count(request, counts.open)
    paginator = Paginator(inbox_for(request.user, body), PAGE_SIZE)
    paginator.count = counts.open  # counted above with the overdue ones: no second COUNT
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(request, "web/inbox.html", {
        "page_obj": page_obj, "entries": entries(page_obj.object_list, today) if counts.open else [],
        "overdue": counts.overdue, "today": today,
    })


@dataclass(frozen=True)
class EvaluationCard:
    """One of the reader's own evaluations, for the home page (read-only links)."""

    cycle_label: str
    track: str
    plan_url: str
    plan_state: str
    sheet_url: str
    sheet_state: str
    rating: str


def _related(obj, name: str):
    try:
        return getattr(obj, name)
    except (IndividualWorkPlan.DoesNotExist, KpiSheet.DoesNotExist):
        return None


def my_evaluations(user, body: StateBody) -> list[EvaluationCard]:
    """The reader's last few evaluations with their plan and sheet (one query)."""
    cards = []
    for p in cycle_selectors.my_evaluations(user, body)[:HOME_EVALUATIONS]:
        plan, sheet = _related(p, "plan"), _related(p, "sheet")
        version = display.version_or_none(p.cycle.methodology_version)
        cards.append(EvaluationCard(
            cycle_label=p.cycle.label, track=str(Track(p.track).label) if p.track in Track.values else p.track,
            plan_url=reverse("web:plan", args=[plan.pk]) if plan else "",
            plan_state=display.state_label("plan", plan.state) if plan else "",
            sheet_url=reverse("web:sheet", args=[sheet.pk]) if sheet else "",
            sheet_state=display.state_label("sheet", sheet.state) if sheet else "",
            rating=display.rating_label(version, sheet.rating, sheet.rating_decision) if sheet and sheet.rating else "",
        ))
    return cards
