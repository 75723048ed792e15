"""One error shape for every 4xx the API returns, so integrators handle them in one place:
`{"detail": "...", "errors": [{"field": "...", "message": "..."}]}`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaValidationError

from bagalau.cycles.errors import Conflict
from bagalau.workflow import IllegalTransition


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


# Declared on every operation so the OpenAPI document lists the error answers it can give.
ERRORS = {frozenset({400, 401, 403, 404, 409, 422}): ErrorOut}


def validation_errors(exc: ValidationError) -> list[dict[str, str]]:
    if hasattr(exc, "error_dict"):
        return [{"field": field, "message": str(m)} for field, msgs in exc.message_dict.items() for m in msgs]
    return [{"field": "__all__", "message": str(m)} for m in exc.messages]


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(
            request, {"detail": _("The request has invalid values."), "errors": validation_errors(exc)}, status=422
        )

    @api.exception_handler(SchemaValidationError)
    def on_schema(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
        errors = [
            # loc is ("body", "payload", "start") or ("query", "limit"): the last part names the field.
            {"field": ".".join(str(p) for p in e.get("loc", ())[2 if e.get("loc", ("",))[0] == "body" else 1:])
             or "__all__", "message": str(e.get("msg", ""))}
            for e in exc.errors
        ]
        return api.create_response(request, {"detail": _("The request has invalid values."), "errors": errors},
                                   status=422)

    @api.exception_handler(PermissionDenied)
    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or _("Not allowed."), "errors": []}, status=403)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found."), "errors": []}, status=404)

    # Conflict (a stale expected_version) and IllegalTransition (the workflow table does not allow the
    # action in the document's state) are ValidationErrors; Ninja looks handlers up along the
    # exception's MRO, so both answer 409, not the generic 422: the input was well formed, the
    # document's state is what refuses it.
    @api.exception_handler(Conflict)
    def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        messages = [str(m) for msgs in exc.message_dict.values() for m in msgs]
        return api.create_response(request, {
            "detail": _("The document was changed since you read it; it is now at version %(version)s. "
                        "Reload it and try again.") % {"version": exc.current_version},
            "errors": [{"field": "expected_version", "message": m} for m in messages],
        }, status=409)

    @api.exception_handler(IllegalTransition)
    def on_illegal_transition(request: HttpRequest, exc: IllegalTransition) -> HttpResponse:
        message = " ".join(str(m) for m in exc.messages)
        return api.create_response(request, {"detail": message, "errors": [{"field": "state", "message": message}]},
                                   status=409)

    # Ninja's own refusals (an unreadable body 400, not logged in 401, a failed CSRF check 403)
    # answer in the same shape as everything else.
    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc), "errors": []}, status=exc.status_code)
