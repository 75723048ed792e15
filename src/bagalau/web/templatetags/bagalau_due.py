"""`{% due info %}`: a due date with the rule and clause it came from, as every page shows it
("due 19.01.2026 — KPIs set: within 10 working days after … (G23-kpi-setting)", plus an overdue
badge). `{% due info no_badge=True %}` leaves the badge out.

A tag rather than an included template because boards and inboxes print it on every row, and an
include per row was a large share of those pages' rendering time.
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from bagalau.web.cycles.display import DueInfo

register = template.Library()


@register.simple_tag
def due(info: DueInfo | None, no_badge: bool = False) -> SafeString:
    # Plain f-strings with the standard library's escape (which Django's wraps): this runs once per
    # row of the board and the inbox.
    if info is None or info.on is None:
        return mark_safe(  # noqa: S308 - escaped
            f'<span class="due muted">{escape(_("No due date: the methodology sets none for this step"))}</span>')
    rule = escape(info.label) + (f": {escape(info.rule_text)}" if info.rule_text else "")
    clause = f' (<span class="clause">{escape(info.clause)}</span>)' if info.clause else ""
    badge = f' <span class="badge danger">{escape(_("Overdue"))}</span>' if info.overdue and not no_badge else ""
    when = escape(_("due %(date)s") % {"date": date_format(info.on, "SHORT_DATE_FORMAT")})
    return mark_safe(  # noqa: S308 - escaped
        f'<span class="due{" is-overdue" if info.overdue else ""}" data-due="{info.on.isoformat()}">'
        f'<span class="due-date">{when}</span> <span class="due-rule">— {rule}{clause}</span>{badge}</span>')
