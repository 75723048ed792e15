"""The main navigation: the sections in the order the header shows them, who sees each, and which
pages belong to it (the section of the page being shown is marked current).

Declared here rather than written out link by link in base.html so the rule for each section sits
on one line, and because every page draws the header: each address is reversed once per process
(per URL configuration and script prefix), not once per link per request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Shell = Mapping[str, Any]  # the shell context (web.context_processors.shell) the rules read


@dataclass(frozen=True)
class Section:
    name: str  # the URL name in the `web` namespace
    label: Promise
    shown: Callable[[Shell], bool]
    pages: frozenset[str] = frozenset()  # other URL names that belong to the section

    def is_current(self, url_name: str | None) -> bool:
        return url_name == self.name or url_name in self.pages


def _in_body(s: Shell) -> bool:
    return s["state_body"] is not None


SECTIONS = (
    Section("home", _("Home"), lambda s: True),
    Section("inbox", _("Inbox"), _in_body),
    Section("cycles", _("Evaluation cycles"), lambda s: s["can_read_cycles"], frozenset({"cycle", "cycle_launch"})),
    Section("ranking_lists", _("Ranking"), _in_body, frozenset({"ranking_list"})),
    Section("commission", _("Commission"), lambda s: s["can_read_commission"],
            frozenset({"commission_meeting", "commission_protocol"})),
    Section("commission_votes", _("My votes"), lambda s: s["is_commission_member"]),
    Section("my_evaluation", _("My evaluation"), lambda s: "servant" in s["roles"]),
    Section("outcomes_board", _("Familiarization"), lambda s: s["is_hr"], frozenset({"outcomes_act"})),
    Section("outcomes_consequences", _("Consequences"), lambda s: s["is_hr"] or "authorized" in s["roles"]),
    Section("outcomes_reviews", _("Appeals"), lambda s: "appeal_reviewer" in s["roles"],
            frozenset({"outcomes_appeal"})),
    Section("survey360_mine", _("My questionnaires"), _in_body),
    Section("survey360", _("360 survey"), lambda s: _in_body(s) and s["is_hr"]),
    Section("staff", _("Staff"), lambda s: s["can_read_staff"]),
    Section("staff_import", _("Staff import"), lambda s: s["is_hr"]),
)


@functools.lru_cache(maxsize=64)
def _address(name: str, prefix: str, urlconf: str) -> str:
    return reverse(f"web:{name}", urlconf=urlconf)


def address(name: str) -> str:
    """`reverse("web:<name>")` for an address without arguments, remembered per process."""
    return _address(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def links(shell: Shell, url_name: str | None) -> list[dict[str, Any]]:
    """The sections the reader sees: {url, label, current, count}; the inbox carries its count."""
    return [{"url": address(s.name), "label": str(s.label), "current": s.is_current(url_name),
             "count": shell["inbox_count"] if s.name == "inbox" else 0}
            for s in SECTIONS if s.shown(shell)]
