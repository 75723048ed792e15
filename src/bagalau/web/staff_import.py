"""Staff import pages: the upload form with the column guide, the per-row error report, the result,
and the two generated templates.

Thin on purpose: the body is always `request.state_body` (never an id from the form), and
`bagalau.orgs.staff_import.import_staff` checks the role, validates and writes. What this module
adds is the upload's size limit: `SizeLimitHandler` stops storing an upload as soon as it passes
STAFF_IMPORT_MAX_BYTES, so a 50 MB file costs neither memory nor disk and gets a clear message
instead of being read. Upload handlers must be installed before the request body is parsed,
which is why the view is csrf_exempt outside and csrf_protect inside (as the Django docs advise).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from bagalau.orgs.staff_import import (
    MAX_ROWS,
    ImportResult,
    check_permission,
    import_staff,
    max_bytes,
    size_error,
)
from bagalau.orgs.staff_import.columns import COLUMNS
from bagalau.orgs.staff_import.template import template_csv, template_xlsx

# More errors than this are not read one by one: the table shows these and says how many more.
SHOWN_ERRORS = 1000


class SizeLimitHandler(FileUploadHandler):
    """First in the chain of upload handlers: passes chunks on until the upload exceeds the limit,
    then skips the rest of the file (Django reads it off the connection and drops it)."""

    def __init__(self, request: HttpRequest | None, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_large = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.content_length is not None and self.content_length > self.limit:
            self.too_large = True
            raise SkipFile()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.too_large = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) builds the UploadedFile


class StaffImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Roster file (CSV or XLSX)"), allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))
    check_only = forms.BooleanField(label=gettext_lazy("Check only: validate the file and write nothing"),
                                    required=False)


def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return render(request, "web/error.html", {"title": _("Access denied"), "message": str(exc)}, status=403)


def _permitted_body(request: HttpRequest):
    """The current body, if the user may import into it; PermissionDenied otherwise."""
    body = getattr(request, "state_body", None)
    if body is None:
        raise PermissionDenied(_("You have no access to any state body."))
    check_permission(request.user, body)
    return body


def _count_rows(counts: dict[str, int]) -> list[tuple[str, int]]:
    labels = {"units": _("Structural units"), "positions": _("Positions"), "servants": _("Servants"),
              "appointments": _("Appointments"), "overrides": _("Direct manager overrides")}
    return [(labels[key], counts.get(key, 0)) for key in labels]


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    limiter = SizeLimitHandler(request, max_bytes())
    if request.method == "POST":
        try:
            request.upload_handlers.insert(0, limiter)
        except AttributeError:
            pass  # something parsed the body already; the size check after the upload still applies
    return _upload(request, limiter)


@csrf_protect
def _upload(request: HttpRequest, limiter: SizeLimitHandler) -> HttpResponse:
    try:
        body = _permitted_body(request)
    except PermissionDenied as exc:
        return _denied(request, exc)
    result: ImportResult | None = None
    status = 200
    form = StaffImportForm()
    if request.method == "POST":
        form = StaffImportForm(request.POST, request.FILES)
        if limiter.too_large:
            form = StaffImportForm(request.POST)
            result = ImportResult(filename="", file_errors=[size_error()])
        elif form.is_valid():
            uploaded = form.cleaned_data["file"]
            if uploaded.size > max_bytes():  # the limiter was bypassed by a custom handler chain
                result = ImportResult(filename=uploaded.name, file_errors=[size_error(uploaded.size)])
            else:
                try:
                    result = import_staff(actor=request.user, body=body, filename=uploaded.name,
                                          data=uploaded.read(), check_only=form.cleaned_data["check_only"])
                except PermissionDenied as exc:
                    return _denied(request, exc)
        if result is None or not result.ok:
            status = 400
    context = {
        "form": form,
        "result": result,
        "shown_errors": result.row_errors[:SHOWN_ERRORS] if result else [],
        "hidden_errors": max(0, len(result.row_errors) - SHOWN_ERRORS) if result else 0,
        "error_rows": len({e.row for e in result.row_errors}) if result else 0,
        "counts": _count_rows(result.created if result.applied else result.planned) if result else [],
        "columns": COLUMNS,
        "max_mb": max_bytes() // (1024 * 1024),
        "max_rows": MAX_ROWS,
    }
    return render(request, "web/staff_import.html", context, status=status)


def _download(request: HttpRequest, content: bytes, content_type: str, filename: str) -> HttpResponse:
    try:
        _permitted_body(request)
    except PermissionDenied as exc:
        return _denied(request, exc)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def template_csv_view(request: HttpRequest) -> HttpResponse:
    return _download(request, template_csv(), "text/csv; charset=utf-8", "staff-roster-template.csv")


@login_required
@require_GET
def template_xlsx_view(request: HttpRequest) -> HttpResponse:
    return _download(request, template_xlsx(),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "staff-roster-template.xlsx")
