"""`{% board_row line labels %}`: one row of the cycle board (web/cycles/board.html).

The board prints up to a page of these; built in the template, each row cost hundreds of variable
lookups, most of the page's rendering. Here it is one string with the same markup the template
had, every value from outside escaped with `html.escape` (the standard library's, which Django's
own `escape` wraps). `message` / `error` are shown under the stage after an action on the row
(submitting the sheet to the Commission redraws only that row).
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from bagalau.web.templatetags.bagalau_due import due

register = template.Library()


def _forward_form(line: Any, label: str, csrf_token: Any, next_url: str) -> str:
    url, token = escape(line.forward_url), escape(str(csrf_token or ""))
    return (f'<form method="post" action="{url}" class="inline-form" hx-post="{url}" hx-target="closest tr" '
            f'hx-swap="outerHTML"><input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            f'<input type="hidden" name="version" value="{escape(str(line.row.sheet_version))}">'
            f'<input type="hidden" name="next" value="{escape(next_url)}">'
            f'<button type="submit" class="button small primary">{escape(label)}</button></form>')


@register.simple_tag(takes_context=True)
def board_row(context: Any, line: Any, labels: dict[str, str], message: str = "", error: str = "") -> SafeString:
    notes = ""
    if message:
        notes += f'<p class="row-ok">{escape(str(message))}</p>'
    if error:
        notes += f'<p class="field-error">{escape(str(error))}</p>'
    links = ""
    if line.plan_url:
        links += f'<a href="{escape(line.plan_url)}">{escape(labels["plan"])}</a> '
    if line.sheet_url:
        links += f'<a href="{escape(line.sheet_url)}">{escape(labels["sheet"])}</a> '
    if line.forward_url:
        request = context.get("request")
        links += _forward_form(line, labels["forward"], context.get("csrf_token"),
                               request.get_full_path() if request is not None else "")
    due_cell = due(line.due) if line.shows_due else '<span class="muted">—</span>'
    return mark_safe(  # noqa: S308 - every value above is escaped; due() returns escaped markup
        f'<tr id="participant-{int(line.participant_id)}" class="{"is-overdue" if line.due.overdue else ""}">'
        f'<td data-label="{escape(labels["servant"])}"><strong>{escape(line.name)}</strong><br>'
        f'<span class="muted small">{escape(line.position)} · {escape(line.unit)}</span></td>'
        f'<td data-label="{escape(labels["stage"])}"><span class="badge tone-{escape(line.tone)}" '
        f'data-stage="{escape(line.row.stage)}">{escape(str(line.stage))}</span>{notes}</td>'
        f'<td data-label="{escape(labels["due"])}">{due_cell}</td>'
        f'<td class="doc-links" data-label="{escape(labels["documents"])}">{links}</td></tr>')
