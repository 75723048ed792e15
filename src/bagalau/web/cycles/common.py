"""What the cycle views share: the current body, the error page, the safe "next" address."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from bagalau.orgs.models import StateBody

View = Callable[..., HttpResponseBase]


def body_view(view: View) -> View:
    """Log-in required; the view gets the current body as its second argument. A user with no body
    gets the "no access" page (403), as the staff list does."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        body: StateBody | None = getattr(request, "state_body", None)
        if body is None:
            return render(request, "web/no_body.html", status=403)
        return view(request, body, *args, **kwargs)

    return wrapper


def error_page(request: HttpRequest, message: str, *, status: int = 400, title: str | None = None) -> HttpResponse:
    """A 4xx page that says what was wrong; nothing was written."""
    return render(request, "web/error.html",
                  {"title": title or _("The request cannot be processed"), "message": message}, status=status)


def is_partial(request: HttpRequest) -> bool:
    """An htmx request that swaps part of the page (a history restore needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request"])
    return response


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def redirect(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url)
