"""HR's cycle pages: the list with the form that opens a cycle, the launch preview with its confirm
button, the board (every participant's stage and due date, counts per stage, filters and pages
swapped by htmx), and the confirmation pages that cancel a draft cycle or close a launched one.

Reading is for HR, the authorized person and the auditor (the selectors check it); opening,
launching, cancelling and closing are for HR (the services check it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bagalau.cycles import clock, selectors, services, workflow
from bagalau.cycles.launch import LaunchPlan, ParticipantDraft, describe_note
from bagalau.cycles.models import CycleState, EvaluationCycle, Participation, SheetState, Track
from bagalau.cycles.selectors import STAGES, Board, BoardRow
from bagalau.methodology.model import MethodologyVersion
from bagalau.orgs.access import require_role, roles_for
from bagalau.orgs.models import Role, StateBody
from bagalau.web.cycles import display
from bagalau.web.cycles.common import body_view, error_page, is_partial, redirect, vary_on_htmx
from bagalau.web.cycles.display import DueInfo, lang
from bagalau.web.cycles.forms import REASON_MAX_LENGTH, SEARCH_MAX_LENGTH, CycleForm, error_dict, leftover_errors

BOARD_PAGE_SIZE = 50


# -- the list and the form -------------------------------------------------------------------------

@body_view
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_list(request: HttpRequest, body: StateBody) -> HttpResponse:
    cycles = list(selectors.cycles(request.user, body))
    status = 200
    form = CycleForm(initial={"year": clock.today().year})
    if request.method == "POST":
        form = CycleForm(request.POST)
        if form.is_valid():
            try:
                cycle = services.create_cycle(request.user, body, **form.service_arguments())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Cycle %(label)s opened as a draft. Check the launch preview, then "
                                            "launch it.") % {"label": cycle.label})
                return redirect(reverse("web:cycle_launch", args=[cycle.pk]))
        status = 400
    return render(request, "web/cycles/list.html", {"cycles": cycles, "form": form}, status=status)


# -- the launch preview ----------------------------------------------------------------------------

@dataclass(frozen=True)
class PreviewRow:
    draft: ParticipantDraft
    name: str
    position: str
    unit: str
    category: str
    is_head: bool
    methods: list[str]
    participation: str
    absences: list[str]
    exclusion: str
    direct_manager: str
    approver: str
    approver_kind: str
    notes: list[str]  # in the active language, each with its clause

    @property
    def without_participation(self) -> bool:
        return self.draft.participation == Participation.WITHOUT


@dataclass(frozen=True)
class PreviewGroup:
    key: str
    title: str
    help: str
    rows: list[PreviewRow]


def _preview_row(d: ParticipantDraft, language: str) -> PreviewRow:
    position = d.appointment.position
    return PreviewRow(
        draft=d, name=d.servant.full_name, position=position.title(language), unit=position.unit.name(language),
        category=position.category, is_head=position.is_head_of_unit,
        methods=display.labels(d.methods, display.METHOD_LABELS),
        participation=str(Participation(d.participation).label) if d.participation else "",
        absences=display.labels(d.absence_kinds, display.ABSENCE_LABELS),
        exclusion=str(display.EXCLUSION_LABELS.get(d.exclusion_reason, d.exclusion_reason)),
        direct_manager=d.line.direct_manager.full_name if d.line.direct_manager else "",
        approver=d.plan_approver.full_name if d.plan_approver else "",
        approver_kind=display.reviewer_kind_label(d.plan_approver_kind) if d.plan_approver_kind else "",
        notes=[describe_note(n) for n in d.notes if n.get("code") != "without_participation"],
    )


def preview_groups(launch: LaunchPlan) -> list[PreviewGroup]:
    language = lang()
    rows = [_preview_row(d, language) for d in launch.participants]
    spec = [
        (Track.KPI, _("Evaluated by KPIs"),
         _("A plan is opened for each of them, drafted by the direct manager.")),
        (Track.OTHER_METHODS, _("Evaluated by other methods"),
         _("No KPI plan: the methods of their group apply (ranking, 360).")),
        (Track.BLOCKED, _("Evaluated by KPIs, but no plan can be opened"),
         _("Nobody in the snapshot can draft the plan; fix the reporting line before launching.")),
        (Track.EXCLUDED, _("Not evaluated"), _("Why each of them is not evaluated, with the clause.")),
    ]
    return [PreviewGroup(key=str(track), title=title, help=help_text,
                         rows=[r for r in rows if r.draft.track == track])
            for track, title, help_text in spec if any(r.draft.track == track for r in rows)]


def _launch_context(launch: LaunchPlan) -> dict[str, Any]:
    counts = launch.counts()
    return {
        "launch": launch, "cycle": launch.cycle, "groups": preview_groups(launch),
        "summary": {
            "considered": counts.get("considered", 0), "evaluated": counts.get("evaluated", 0),
            "kpi": counts.get(f"track_{Track.KPI}", 0), "other": counts.get(f"track_{Track.OTHER_METHODS}", 0),
            "blocked": counts.get(f"track_{Track.BLOCKED}", 0), "excluded": counts.get("excluded", 0),
            "without": counts.get("without_participation", 0),
        },
        "version_title": _version_title(launch.version_id),
    }


def _version_title(version_id: str) -> str:
    version = display.version_or_none(version_id)
    return version.title.get(lang()) if version else ""


@body_view
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_launch(request: HttpRequest, body: StateBody, cycle_id: int) -> HttpResponse:
    """GET: what the launch would do; POST: do it."""
    board_url = reverse("web:cycle", args=[cycle_id])
    if request.method == "POST":
        try:
            cycle = services.launch_cycle(request.user, body, cycle_id)
        except workflow.IllegalTransition as exc:
            return error_page(request, str(exc.message), status=409)
        except ValidationError as exc:
            return error_page(request, " ".join(m for ms in error_dict(exc).values() for m in ms),
                              title=_("The cycle cannot be launched"))
        counts = cycle.launch_summary.get("counts", {})
        messages.success(request, _("Cycle %(label)s launched: %(n)s servants considered, %(kpi)s KPI plans opened.")
                         % {"label": cycle.label, "n": counts.get("considered", 0),
                            "kpi": counts.get(f"track_{Track.KPI}", 0)})
        return redirect(board_url)
    try:
        launch = services.preview_launch(request.user, body, cycle_id)
    except workflow.IllegalTransition:
        return redirect(board_url)  # launched, closed or cancelled: the board says which
    except ValidationError as exc:
        return error_page(request, " ".join(m for ms in error_dict(exc).values() for m in ms),
                          title=_("The cycle cannot be launched"))
    return render(request, "web/cycles/launch.html", _launch_context(launch))


# -- cancelling a draft, closing a launched cycle ----------------------------------------------------

@dataclass(frozen=True)
class EndAction:
    """What the confirmation page of one way of ending a cycle says and asks."""

    action: str  # the cycle workflow's action: "cancel" or "close"
    state: str  # the state the action starts from; in any other the page sends back to the board
    url_name: str
    asks_reason: bool


CANCEL = EndAction("cancel", CycleState.DRAFT, "web:cycle_cancel", asks_reason=True)
CLOSE = EndAction("close", CycleState.LAUNCHED, "web:cycle_close", asks_reason=False)


def _end_texts(end: EndAction, cycle: EvaluationCycle) -> dict[str, str]:
    if end is CANCEL:
        return {"title": _("Cancel cycle %(label)s") % {"label": cycle.label},
                "lead": _("A cancelled draft is never launched: no plan is opened and the cycle stays in the list "
                          "as cancelled. It cannot be undone; to evaluate this period, open a new cycle."),
                "button": _("Confirm and cancel the cycle"),
                "refused": _("The cycle was not cancelled"), "action": _("cancel an evaluation cycle")}
    return {"title": _("Close cycle %(label)s") % {"label": cycle.label},
            "lead": _("Closing ends the cycle once every KPI sheet has gone to the Commission: no document of "
                      "the cycle moves any more. It cannot be undone."),
            "button": _("Confirm and close the cycle"),
            "refused": _("The cycle was not closed"), "action": _("close an evaluation cycle")}


def _parse_reason(data: Any) -> str:
    reason = str(data.get("reason", "")).strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason: it is recorded with the cancellation.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("Field “reason”: at most %(max)d characters.")
                               % {"max": REASON_MAX_LENGTH}})
    return reason


def _end_cycle(request: HttpRequest, body: StateBody, cycle_id: int, end: EndAction) -> HttpResponse:
    """GET: the confirmation form; POST: the service. HR's role is checked before the form is read,
    so a caller who may not act gets 403 whatever he sent."""
    cycle = selectors.cycle(request.user, body, cycle_id)
    board_url = reverse("web:cycle", args=[cycle.pk])
    texts = _end_texts(end, cycle)
    require_role(request.user, body, [Role.HR], action=texts["action"])
    errors: dict[str, list[str]] = {}
    reason = ""
    if request.method == "POST":
        try:
            if end is CANCEL:
                reason = str(request.POST.get("reason", ""))
                services.cancel_cycle(request.user, body, cycle.pk, reason=_parse_reason(request.POST))
                done = _("Cycle %(label)s is cancelled.")
            else:
                services.close_cycle(request.user, body, cycle.pk)
                done = _("Cycle %(label)s is closed.")
        except workflow.IllegalTransition as exc:
            return error_page(request, str(exc.message), status=409, title=texts["refused"])
        except ValidationError as exc:
            errors = error_dict(exc)
        else:
            messages.success(request, done % {"label": cycle.label})
            return redirect(board_url)
    elif cycle.state != end.state:
        return redirect(board_url)  # already ended, or not in the state this action starts from: the board says
    context = {"cycle": cycle, "end": end, "texts": texts, "reason": reason, "reason_max": REASON_MAX_LENGTH,
               "errors": errors, "other_errors": leftover_errors(errors, ["reason"] if end.asks_reason else [])}
    return render(request, "web/cycles/end.html", context, status=400 if errors else 200)


@body_view
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_cancel(request: HttpRequest, body: StateBody, cycle_id: int) -> HttpResponse:
    """HR cancels a draft cycle, with the reason recorded in the audit trail."""
    return _end_cycle(request, body, cycle_id, CANCEL)


@body_view
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_close(request: HttpRequest, body: StateBody, cycle_id: int) -> HttpResponse:
    """HR closes a launched cycle whose KPI sheets have all gone to the Commission."""
    return _end_cycle(request, body, cycle_id, CLOSE)


# -- the board -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BoardLine:
    row: BoardRow
    participant_id: int
    name: str
    position: str
    unit: str
    stage: str
    tone: str
    shows_due: bool  # a step is running (not excluded, other methods, or already at the Commission)
    due: DueInfo
    plan_url: str
    sheet_url: str
    forward_url: str  # set when the reader may submit the sheet to the Commission from the board


# Stages whose row has no running step, so no due date.
NO_DUE_STAGES = frozenset({"excluded", "other_methods", f"sheet_{SheetState.SUBMITTED_TO_COMMISSION}"})


def board_labels() -> dict[str, str]:
    """The column and link labels the rows repeat, translated once per page rather than per row."""
    return {"servant": _("Servant"), "stage": _("Stage"), "due": _("Due"), "documents": _("Documents"),
            "plan": _("Plan"), "sheet": _("Sheet"), "forward": _("Submit to the Commission")}


class IdUrls:
    """`reverse(name, args=[pk])` for the many rows of one page at the cost of a single reverse."""

    PLACEHOLDER = "918273645"

    def __init__(self, name: str) -> None:
        self.pattern = reverse(name, args=[int(self.PLACEHOLDER)])

    def __call__(self, pk: int | None) -> str:
        return self.pattern.replace(self.PLACEHOLDER, str(pk)) if pk else ""


@dataclass(frozen=True)
class BoardUrls:
    plan: IdUrls
    sheet: IdUrls
    forward: IdUrls

    @classmethod
    def make(cls) -> BoardUrls:
        return cls(IdUrls("web:plan"), IdUrls("web:sheet"), IdUrls("web:sheet_forward"))


def board_line(row: BoardRow, *, version: MethodologyVersion | None, today: dt.date, can_forward: bool,
               urls: BoardUrls | None = None) -> BoardLine:
    """One row of the board; `can_forward`: the reader is HR and the cycle is launched."""
    p = row.participant
    urls = urls or BoardUrls.make()
    return BoardLine(
        row=row, participant_id=p.pk, name=p.servant_name,
        position=display.pick(p.position_title_kk, p.position_title_ru),
        unit=display.pick(p.unit_name_kk, p.unit_name_ru),
        stage=display.stage_label(row.stage), tone=display.stage_tone(row.stage),
        shows_due=row.stage not in NO_DUE_STAGES,
        due=display.due_info(row.due_on, row.due_rule, row.due_clause, today=today, version=version),
        plan_url=urls.plan(row.plan_id), sheet_url=urls.sheet(row.sheet_id),
        forward_url=urls.forward(row.sheet_id) if can_forward and row.sheet_state == SheetState.AGREED else "",
    )


def parse_board_filters(query: Any) -> tuple[dict[str, Any], int]:
    """The board's filters from the query string, or a ValidationError naming the bad one."""
    stage = query.get("stage", "").strip()
    if stage and stage not in STAGES:
        raise ValidationError({"stage": _("Choose a stage from the list.")})
    raw_unit = query.get("unit", "").strip()
    if raw_unit and not (raw_unit.isascii() and raw_unit.isdigit() and len(raw_unit) <= 18):
        raise ValidationError({"unit": _("Choose a structural unit from the list.")})
    raw_overdue = query.get("overdue", "").strip()
    if raw_overdue not in ("", "1", "0"):
        raise ValidationError({"overdue": _("Overdue is 1 (only overdue) or 0 (only on time).")})
    search = query.get("q", "").strip()
    if len(search) > SEARCH_MAX_LENGTH:
        raise ValidationError({"q": _("Field “search”: at most %(max)d characters.") % {"max": SEARCH_MAX_LENGTH}})
    raw_page = query.get("page", "1").strip()
    page = int(raw_page) if raw_page.isascii() and raw_page.isdigit() and 0 < len(raw_page) <= 6 else 1
    filters = {"stage": stage or None, "unit_id": int(raw_unit) if raw_unit else None,
               "overdue": {"1": True, "0": False}.get(raw_overdue), "search": search}
    return filters, max(page, 1)


def _query(filters: dict[str, Any], **override: Any) -> str:
    overdue = filters.get("overdue")
    values = {"stage": filters.get("stage") or "", "unit": filters.get("unit_id") or "",
              "overdue": "" if overdue is None else ("1" if overdue else "0"), "q": filters.get("search") or ""}
    values.update(override)
    return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def _units(request: HttpRequest, cycle: EvaluationCycle, board: Board) -> list[dict[str, Any]]:
    """The unit filter's choices: every unit of the cycle, whatever the filters."""
    if board.units is not None:  # read with the counts
        return [{"id": u.pk, "name": f"{u.code} {display.pick(u.name_kk, u.name_ru)}"} for u in board.units]
    seen: dict[int, dict[str, Any]] = {}
    # DISTINCT in the database: one row per unit, not one per participant.
    for u in (selectors.participants(request.user, cycle).exclude(unit_id=None).order_by("unit_code", "unit_id")
              .values("unit_id", "unit_code", "unit_name_kk", "unit_name_ru").distinct()):
        name = display.pick(u["unit_name_kk"], u["unit_name_ru"])
        seen.setdefault(u["unit_id"], {"id": u["unit_id"], "name": f"{u['unit_code']} {name}"})
    return list(seen.values())


def board_context(request: HttpRequest, board: Board, filters: dict[str, Any], is_hr: bool) -> dict[str, Any]:
    cycle = board.cycle
    version = display.version_or_none(cycle.methodology_version)
    can_forward = is_hr and cycle.state == CycleState.LAUNCHED
    urls = BoardUrls.make()
    lines = [board_line(r, version=version, today=board.today, can_forward=can_forward, urls=urls)
             for r in board.rows]
    stage_counts = [{"code": s, "label": display.stage_label(s), "tone": display.stage_tone(s),
                     "count": board.counts[s], "query": _query(filters, stage=s, page=""),
                     "current": filters.get("stage") == s}
                    for s in STAGES if board.counts.get(s) or filters.get("stage") == s]
    return {
        "cycle": cycle, "board": board, "lines": lines, "labels": board_labels(), "stage_counts": stage_counts,
        "filters": filters,
        "stages": [{"code": s, "label": display.stage_label(s)} for s in STAGES],
        "filter_query": _query(filters), "version": version,
        "overdue_query": _query(filters, overdue="1", page=""),
        "previous_query": _query(filters, page=board.page - 1) if board.page > 1 else "",
        "next_query": _query(filters, page=board.page + 1) if board.page < board.pages else "",
        "all_query": _query(filters, stage="", page=""),
        "all_count": sum(board.counts.values()),  # every stage, under the other filters
        # The HR grant itself (the shell's `is_hr` also counts the administrator, who may not act on a cycle).
        "can_end": is_hr and cycle.state in (CycleState.DRAFT, CycleState.LAUNCHED),
    }


@body_view
@require_safe
def cycle_board(request: HttpRequest, body: StateBody, cycle_id: int) -> HttpResponse:
    cycle = selectors.cycle(request.user, body, cycle_id)
    try:
        filters, page = parse_board_filters(request.GET)
        board = selectors.cycle_board(request.user, cycle, filters, page=page, per_page=BOARD_PAGE_SIZE)
    except ValidationError as exc:
        return error_page(request, " ".join(m for ms in error_dict(exc).values() for m in ms))
    context = board_context(request, board, filters, Role.HR in roles_for(request.user, body))
    if is_partial(request):
        return vary_on_htmx(render(request, "web/cycles/board.html#results", context))
    context["units"] = _units(request, cycle, board)
    return vary_on_htmx(render(request, "web/cycles/board.html", context))
