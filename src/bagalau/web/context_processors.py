"""What every page's shell (header, navigation) needs: the current body, its name in the active
language, the user's roles there and the bodies they may switch to.

Computed once per request and kept on it, so a page that renders several templates (or an error
page) does not repeat the queries: the shell costs a fixed handful of queries per request.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from bagalau.cycles.selectors import READERS as CYCLE_READER_ROLES
from bagalau.inbox.selectors import inbox_for
from bagalau.orgs.access import bodies_for, roles_for
from bagalau.orgs.models import Role, StateBody
from bagalau.web import nav
from bagalau.web.selectors import HR_ROLES, STAFF_READERS

# Each language is offered under its own name, so a reader who does not understand the current
# language still finds theirs. These are deliberately not translated.
LANGUAGE_AUTONYMS = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

_CACHE_ATTR = "_bagalau_shell"
_INBOX_COUNT_ATTR = "_bagalau_inbox_count"

CYCLE_READERS = frozenset(str(r) for r in CYCLE_READER_ROLES)
COMMISSION_READERS = frozenset(str(r) for r in (Role.HR, Role.AUTHORIZED_PERSON, Role.COMMISSION_MEMBER))


def _body_name(body: StateBody | None, lang: str) -> str:
    return body.name(lang) if body is not None else ""


def _display_name(user) -> str:
    """The person's name as HR registered it (the servant record), else the account's own name."""
    name = user.get_full_name()
    if name:
        return name
    servant = getattr(user, "servant", None) if hasattr(user, "servant") else None
    return servant.full_name if servant is not None else user.get_username()


def remember_inbox_count(request: HttpRequest, count: int) -> None:
    """A page that has just counted the reader's open items (the inbox, the home page) hands the
    number to the shell's inbox link, which would otherwise count them again."""
    setattr(request, _INBOX_COUNT_ATTR, count)


def _inbox_count(request: HttpRequest, user, body: StateBody) -> int:
    known = getattr(request, _INBOX_COUNT_ATTR, None)
    return known if known is not None else inbox_for(user, body).count()


def shell(request: HttpRequest) -> dict[str, object]:
    cached = getattr(request, _CACHE_ATTR, None)
    lang = get_language() or "kk"
    if cached is not None and cached["shell_lang"] == lang:
        return cached
    user = getattr(request, "user", None)
    body: StateBody | None = getattr(request, "state_body", None)
    authenticated = bool(user is not None and user.is_authenticated)
    roles = roles_for(user, body) if authenticated and body is not None else frozenset()
    # The body middleware may already hold the list (saves three queries); else ask once here.
    bodies = getattr(request, "state_bodies", None)
    if bodies is None:
        bodies = bodies_for(user) if authenticated else []
    context: dict[str, object] = {
        "shell_lang": lang,
        "user_display": _display_name(user) if authenticated else "",
        "state_body": body,
        "state_body_name": _body_name(body, lang),
        "roles": roles,
        # Labels in the order of the Role enumeration, so the header reads the same every time.
        "role_labels": [r.label for r in Role if r.value in roles],
        "bodies": [{"pk": b.pk, "name": b.name(lang), "current": body is not None and b.pk == body.pk}
                   for b in bodies],
        "can_read_staff": bool(roles & STAFF_READERS),
        "is_hr": bool(roles & HR_ROLES),
        # HR, the authorized person and the auditor read the evaluation cycles (cycles.selectors).
        "can_read_cycles": bool(roles & CYCLE_READERS),
        # The commission pages: HR (its working body), the authorized person and the members.
        "can_read_commission": bool(roles & COMMISSION_READERS),
        "is_commission_member": Role.COMMISSION_MEMBER in roles,
        # Open work items for the inbox link: one COUNT on the inbox's own index.
        "inbox_count": _inbox_count(request, user, body) if roles and body is not None else 0,
        "language_choices": [
            {"code": code, "autonym": LANGUAGE_AUTONYMS.get(code, code), "name": name, "current": code == lang}
            for code, name in settings.LANGUAGES
        ],
    }
    match = getattr(request, "resolver_match", None)
    context["nav"] = nav.links(context, match.url_name if match is not None else None) if authenticated else []
    setattr(request, _CACHE_ATTR, context)
    return context
