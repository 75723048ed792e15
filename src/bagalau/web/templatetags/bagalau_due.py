"""`{% due info %}`: a due date with the rule and clause it came from, as every page shows it
("due 19.01.2026 — KPIs set: within 10 working days after … (G23-kpi-setting)", plus an overdue
badge). `{% due info no_badge=True %}` leaves the badge out.

A tag rather than an included template because boards and inboxes print it on every row, and an
include per row was a large share of those pages' rendering time.
"""

from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from bagalau.web.cycles.display import DueInfo

register = template.Library()


@register.simple_tag
def due(info: DueInfo | None, no_badge: bool = False) -> SafeString:
    if info is None or info.on is None:
        return format_html('<span class="due muted">{}</span>',
                           _("No due date: the methodology sets none for this step"))
    rule = format_html("{}: {}", info.label, info.rule_text) if info.rule_text else format_html("{}", info.label)
    clause = format_html(' (<span class="clause">{}</span>)', info.clause) if info.clause else ""
    badge = format_html(' <span class="badge danger">{}</span>', _("Overdue")) if info.overdue and not no_badge else ""
    return format_html(
        '<span class="due{}" data-due="{}"><span class="due-date">{}</span> '
        '<span class="due-rule">— {}{}</span>{}</span>',
        " is-overdue" if info.overdue else "", info.on.isoformat(),
        _("due %(date)s") % {"date": date_format(info.on, "SHORT_DATE_FORMAT")}, rule, clause, badge)
