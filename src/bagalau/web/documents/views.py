"""Document downloads and a cycle's batch page.

`download` serves the current rendering of an object in a form, language and format: the first
request stores it (idempotent, see documents.services.generate), later ones serve the stored file.
`stored` serves a stored document by id. Access is the object's: 403 for a reader of the body
without the right to see it, 404 for another body's. The batch page starts a cycle's batch, shows
its progress (polled by htmx every two seconds while it runs) and offers the ZIP when done.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from bagalau.cycles import selectors as cycle_selectors
from bagalau.documents import selectors, services
from bagalau.documents.errors import SignedDocumentChanged
from bagalau.documents.http import serve, serve_zip
from bagalau.orgs.models import StateBody
from bagalau.web.commission.common import flat
from bagalau.web.cycles.common import body_view, error_page, is_partial, redirect, vary_on_htmx


@body_view
@require_safe
def download(request: HttpRequest, body: StateBody, form: str, object_id: int, language: str, fmt: str
             ) -> HttpResponseBase:
    try:
        doc = services.generate(request.user, body, form, object_id, language, fmt)
    except SignedDocumentChanged as exc:
        return error_page(request, flat(exc), status=409)
    except ValidationError as exc:
        return error_page(request, flat(exc), status=400)
    except PermissionDenied as exc:
        return error_page(request, flat(exc), status=403)
    return serve(doc)


@body_view
@require_safe
def stored(request: HttpRequest, body: StateBody, document_id: int) -> HttpResponseBase:
    try:
        doc = selectors.document(request.user, body, document_id)
    except PermissionDenied as exc:
        return error_page(request, flat(exc), status=403)
    return serve(doc)


def _batch_context(request: HttpRequest, body: StateBody, cycle_id: int) -> dict[str, object]:
    cycle = cycle_selectors.cycle(request.user, body, cycle_id)
    return {"cycle": cycle, "jobs": list(selectors.batches(request.user, body, cycle_id)[:10])}


@body_view
def batch_page(request: HttpRequest, body: StateBody, cycle_id: int) -> HttpResponseBase:
    try:
        if request.method == "POST":
            languages = request.POST.getlist("languages") or list(services.LANGUAGES)
            formats = request.POST.getlist("formats") or list(services.FORMATS)
            services.start_batch(request.user, body, cycle_id, languages=languages, formats=formats)
            return redirect(reverse("web:documents_batches", args=[cycle_id]))
        if request.method not in ("GET", "HEAD"):
            return error_page(request, "", status=405)
        return render(request, "web/documents/batches.html", _batch_context(request, body, cycle_id))
    except PermissionDenied as exc:
        return error_page(request, flat(exc), status=403)
    except ValidationError as exc:
        context = _batch_context(request, body, cycle_id)
        return render(request, "web/documents/batches.html", {**context, "error": flat(exc)}, status=400)


@body_view
@require_safe
def batch_progress(request: HttpRequest, body: StateBody, job_id: int) -> HttpResponseBase:
    try:
        job = selectors.batch(request.user, body, job_id)
    except PermissionDenied as exc:
        return error_page(request, flat(exc), status=403)
    if not is_partial(request):
        return redirect(reverse("web:documents_batches", args=[job.cycle_id]))
    return vary_on_htmx(render(request, "web/documents/_batch_row.html", {"job": job}))


@body_view
@require_POST
def batch_resume(request: HttpRequest, body: StateBody, job_id: int) -> HttpResponseBase:
    try:
        job = services.resume_batch(request.user, body, job_id)
    except PermissionDenied as exc:
        return error_page(request, flat(exc), status=403)
    return redirect(reverse("web:documents_batches", args=[job.cycle_id]))


@body_view
@require_safe
def batch_zip(request: HttpRequest, body: StateBody, job_id: int) -> HttpResponseBase:
    try:
        job = selectors.batch(request.user, body, job_id)
    except PermissionDenied as exc:
        return error_page(request, flat(exc), status=403)
    try:
        return serve_zip(job)
    except Http404:
        return error_page(request, flat(Http404()), status=404)
