"""`{% board_row line labels %}`: one row of the cycle board (web/cycles/board.html).

The board prints up to a page of these; built in the template, each row cost hundreds of variable
lookups, most of the page's rendering. Here it is one `format_html` per cell, with the same
markup the template had. `message` / `error` are shown under the stage after an action on the row
(submitting the sheet to the Commission redraws only that row).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from bagalau.web.templatetags.bagalau_due import due

register = template.Library()


def _forward_form(line: Any, label: str, csrf_token: Any, next_url: str) -> SafeString:
    return format_html(
        '<form method="post" action="{0}" class="inline-form" hx-post="{0}" hx-target="closest tr" '
        'hx-swap="outerHTML"><input type="hidden" name="csrfmiddlewaretoken" value="{1}">'
        '<input type="hidden" name="version" value="{2}"><input type="hidden" name="next" value="{3}">'
        '<button type="submit" class="button small primary">{4}</button></form>',
        line.forward_url, csrf_token or "", line.row.sheet_version, next_url, label)


@register.simple_tag(takes_context=True)
def board_row(context: Any, line: Any, labels: dict[str, str], message: str = "", error: str = "") -> SafeString:
    notes = mark_safe("")  # noqa: S308 (empty)
    if message:
        notes += format_html('<p class="row-ok">{}</p>', message)
    if error:
        notes += format_html('<p class="field-error">{}</p>', error)
    links = mark_safe("")  # noqa: S308 (empty)
    if line.plan_url:
        links += format_html('<a href="{}">{}</a> ', line.plan_url, labels["plan"])
    if line.sheet_url:
        links += format_html('<a href="{}">{}</a> ', line.sheet_url, labels["sheet"])
    if line.forward_url:
        request = context.get("request")
        links += _forward_form(line, labels["forward"], context.get("csrf_token"),
                               request.get_full_path() if request is not None else "")
    due_cell = due(line.due) if line.shows_due else mark_safe('<span class="muted">—</span>')  # noqa: S308
    return format_html(
        '<tr id="participant-{}" class="{}">'
        '<td data-label="{}"><strong>{}</strong><br><span class="muted small">{} · {}</span></td>'
        '<td data-label="{}"><span class="badge tone-{}" data-stage="{}">{}</span>{}</td>'
        '<td data-label="{}">{}</td>'
        '<td class="doc-links" data-label="{}">{}</td></tr>',
        line.participant_id, "is-overdue" if line.due.overdue else "",
        labels["servant"], line.name, line.position, line.unit,
        labels["stage"], line.tone, line.row.stage, line.stage, notes,
        labels["due"], due_cell,
        labels["documents"], links)
