"""HR's page to export everything held about one servant of the current body, as a ZIP."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from bagalau.accounts.safety.export import export_personal_data, find_servant, require_export_role


class ExportForm(forms.Form):
    servant = forms.CharField(label=gettext_lazy("Servant's IIN"), max_length=12, strip=True)


@login_required
@require_http_methods(["GET", "POST"])
def export_page(request: HttpRequest) -> HttpResponse:
    body = request.state_body  # type: ignore[attr-defined]
    if body is None:
        return render(request, "web/no_body.html", status=403)
    require_export_role(request.user, body)
    form = ExportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                servant = find_servant(body, form.cleaned_data["servant"])
                data, _manifest = export_personal_data(request.user, body, servant)
            except ValidationError as exc:
                for message in exc.message_dict.get("servant", exc.messages):
                    form.add_error("servant", message)
            else:
                response = HttpResponse(data, content_type="application/zip")
                response["Content-Disposition"] = f'attachment; filename="personal-data-{servant.iin}.zip"'
                response["Cache-Control"] = "no-store"
                return response
        status = 400
    return render(request, "web/accounts/personal_data.html", {"form": form}, status=status)
