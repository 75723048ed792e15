"""The two-factor pages: set-up with a QR code (an SVG data URI, which the CSP's img-src allows),
the recovery codes shown once, and the code asked after the password."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from bagalau.accounts.forms import CodeForm
from bagalau.accounts.services import twofactor


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("web:home")


def _with_next(name: str, target: str) -> str:
    from urllib.parse import urlencode

    return f"{reverse(name)}?{urlencode({'next': target})}"


def _add_errors(form: CodeForm, exc: ValidationError) -> None:
    for message in exc.message_dict.get("code", exc.messages):
        form.add_error("code", message)


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    target = _next(request)
    if twofactor.has_confirmed_device(request.user):
        return HttpResponseRedirect(_with_next("web:two_factor_verify", target))
    device = twofactor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                codes = twofactor.confirm_enrolment(request.user, form.cleaned_data["code"], request=request)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                twofactor.mark_verified(request)
                return render(request, "web/accounts/recovery_codes.html", {"codes": codes, "next": target})
        status = 400
    uri = twofactor.provisioning_uri(device, request.user)
    return render(request, "web/accounts/enrol.html", {
        "form": form, "next": target, "qr": twofactor.qr_data_uri(uri), "secret": _grouped(device.secret),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    target = _next(request)
    if not twofactor.has_confirmed_device(request.user):
        return HttpResponseRedirect(_with_next("web:two_factor_enrol", target))
    if twofactor.is_verified(request):
        return HttpResponseRedirect(target)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                twofactor.verify(request.user, form.cleaned_data["code"], request=request)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                twofactor.mark_verified(request)
                return HttpResponseRedirect(target)
        status = 400
    return render(request, "web/accounts/verify.html", {"form": form, "next": target}, status=status)
