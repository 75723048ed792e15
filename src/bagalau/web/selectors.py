"""Reads behind the web pages. Each one asks the orgs selectors (which check the reader's role in
the body and filter by it) and shapes the result for a template, in a fixed number of queries, so
a page costs the same with 5 servants as with 5 000.

Names are resolved for the active language here, not in templates, because a template cannot call
`name(lang)`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bagalau.orgs import selectors as org_selectors
from bagalau.orgs.access import bodies_for
from bagalau.orgs.models import Role, Servant, StateBody
from bagalau.orgs.reporting import OrgSnapshot, ReportingLine

User = AbstractBaseUser | AnonymousUser

STAFF_PAGE_SIZE = 25
# Longest search accepted; longer input is a typo or an attack, not a name.
SEARCH_MAX_LENGTH = 100

# Roles whose holders may open the staff list (the orgs selector enforces this again).
STAFF_READERS = frozenset(str(r) for r in org_selectors.STAFF_READERS)
# Roles that see the HR card: staff list, staff import, back office.
HR_ROLES = frozenset({str(Role.HR), str(Role.ADMIN)})


def enterable_body(user: User, body_id: int) -> StateBody:
    """A body the user may switch to. Any other id, existing or not, is 'not found': the answer
    must not tell a user which ids belong to other bodies."""
    for body in bodies_for(user):
        if body.pk == body_id:
            return body
    raise Http404(_("No such state body among yours."))


@dataclass(frozen=True)
class StaffRow:
    servant: Servant
    position_title: str
    unit_name: str
    category: str
    is_head: bool


def _name_filter(query: str) -> Q:
    """Every word of the query must appear in the last, first or middle name.

    SQLite's LIKE folds case for ASCII only, so 'әбенов' would miss 'Әбенов' there; matching the
    lower, upper and capitalised spellings too makes the search behave the same on SQLite and
    PostgreSQL."""
    condition = Q()
    for word in query.split():
        variants = {word, word.lower(), word.upper(), word.capitalize()}
        any_field = Q()
        for v in variants:
            any_field |= Q(last_name__icontains=v) | Q(first_name__icontains=v) | Q(middle_name__icontains=v)
        condition &= any_field
    return condition


def staff_search(user: User, body: StateBody, query: str = "") -> QuerySet[Servant]:
    """The body's servants matching `query`, with today's appointment prefetched; raises
    PermissionDenied for a user who may not read the staff list of this body."""
    qs = org_selectors.servants(user, body)
    query = query.strip()[:SEARCH_MAX_LENGTH]
    if query:
        qs = qs.filter(_name_filter(query))
    return qs.order_by("last_name", "first_name", "middle_name", "pk")


def staff_page(user: User, body: StateBody, *, query: str, page: str | int | None,
               lang: str) -> tuple[Page, list[StaffRow]]:
    """One page of the staff list: three queries (count, page, appointments) whatever its size.
    An out-of-range or malformed page number gives the last or first page, not an error."""
    paginator = Paginator(staff_search(user, body, query), STAFF_PAGE_SIZE)
    page_obj = paginator.get_page(page)
    rows = []
    for s in page_obj.object_list:
        current = getattr(s, "current_appointments", [])
        position = current[0].position if current else None
        rows.append(StaffRow(
            servant=s,
            position_title=position.title(lang) if position else "",
            unit_name=position.unit.name(lang) if position else "",
            category=position.category if position else "",
            is_head=bool(position and position.is_head_of_unit),
        ))
    return page_obj, rows


@dataclass(frozen=True)
class ServantCard:
    """What a servant sees of their own place in the body."""

    servant: Servant
    position_title: str
    unit_name: str
    category: str
    line: ReportingLine

    @property
    def is_first_head(self) -> bool:
        """The first head has no manager inside the body."""
        return self.line.first_head is not None and self.line.first_head.pk == self.servant.pk


@dataclass(frozen=True)
class HomeOverview:
    servant_card: ServantCard | None
    subordinates: int | None  # direct subordinates, for managers only


def home_overview(user: User, body: StateBody, roles: frozenset[str], *, lang: str,
                  on: dt.date | None = None) -> HomeOverview:
    """The cards of the home page that depend on the structure: the user's own reporting line and,
    for a manager, how many servants report to them directly. Reads only the user's own servant
    record and one snapshot of the structure (a fixed number of queries)."""
    me = org_selectors.servant_for_user(user, body)
    if me is None or not ({str(Role.SERVANT), str(Role.MANAGER)} & roles):
        return HomeOverview(servant_card=None, subordinates=None)
    snapshot = OrgSnapshot(body, on or timezone.localdate())
    line = snapshot.line(me)
    position = line.position
    unit = snapshot.units.get(position.unit_id) if position else None
    card = ServantCard(
        servant=me,
        position_title=position.title(lang) if position else "",
        unit_name=unit.name(lang) if unit else "",
        category=position.category if position else "",
        line=line,
    )
    subordinates = None
    if str(Role.MANAGER) in roles:
        subordinates = sum(
            1 for s in snapshot.servants.values()
            if s.pk != me.pk and getattr(snapshot.direct_manager(s)[0], "pk", None) == me.pk
        )
    return HomeOverview(servant_card=card, subordinates=subordinates)
