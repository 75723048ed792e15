"""Thin views: parse the request, call one selector, render. Permission checks live in the
selectors (and the orgs selectors they call), so a page cannot show what its reader may not read.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bagalau.accounts.forms import LoginForm
from bagalau.orgs.access import roles_for
from bagalau.orgs.middleware import SESSION_KEY
from bagalau.web import selectors
from bagalau.web.cycles.inbox import home_tasks, my_evaluations


class LoginView(auth_views.LoginView):
    """Django's login behind the lockout (the form says when to retry); the second factor, when the
    user's roles need it, is asked by bagalau.accounts.middleware on the next page."""

    template_name = "web/login.html"
    redirect_authenticated_user = True
    form_class = LoginForm


class LogoutView(auth_views.LogoutView):
    pass


def _lang() -> str:
    return get_language() or "kk"


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """A 400 page that says which field broke which rule."""
    return render(request, "web/error.html", {"title": _("The request cannot be processed"), "message": message},
                  status=400)


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    body = request.state_body  # type: ignore[attr-defined]
    overview = tasks = None
    evaluations: list = []
    if body is not None:
        roles = roles_for(request.user, body)
        overview = selectors.home_overview(request.user, body, roles, lang=_lang())
        tasks = home_tasks(request, body)
        evaluations = my_evaluations(request.user, body)
    return render(request, "web/home.html", {"overview": overview, "tasks": tasks, "evaluations": evaluations})


@login_required
@require_safe
def staff(request: HttpRequest) -> HttpResponse:
    body = request.state_body  # type: ignore[attr-defined]
    if body is None:
        return render(request, "web/no_body.html", status=403)
    query = request.GET.get("q", "")
    if len(query) > selectors.SEARCH_MAX_LENGTH:
        return bad_request(request, _("Field “search”: at most %(max)d characters.")
                           % {"max": selectors.SEARCH_MAX_LENGTH})
    if "\x00" in query:
        # PostgreSQL cannot compare NUL characters: refuse them before the query.
        return bad_request(request, _("Field “search”: must not contain NUL characters."))
    page_obj, rows = selectors.staff_page(request.user, body, query=query, page=request.GET.get("page"),
                                          lang=_lang())
    context = {"page_obj": page_obj, "rows": rows, "query": query.strip()}
    htmx = request.htmx  # type: ignore[attr-defined]
    # A search typed into the box swaps only the results; a history restore needs the whole page.
    partial = bool(htmx) and not htmx.history_restore_request
    response = render(request, "web/staff.html#results" if partial else "web/staff.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("web:home")


@login_required
@require_POST
def switch_body(request: HttpRequest) -> HttpResponse:
    """Make another of the user's bodies the current one. The id is checked against the user's
    own bodies; a foreign or unknown id is 404 and changes nothing."""
    raw = request.POST.get("body", "").strip()
    if not (raw.isascii() and raw.isdigit()):
        return bad_request(request, _("Field “state body”: choose one of your state bodies from the list."))
    body = selectors.enterable_body(request.user, int(raw))
    request.session[SESSION_KEY] = body.pk
    messages.success(request, _("Current state body: %(name)s.") % {"name": body.name(_lang())})
    return HttpResponseRedirect(_safe_next(request))
