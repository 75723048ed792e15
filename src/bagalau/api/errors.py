"""One error shape for every 4xx the API returns, so integrators handle them in one place:
`{"detail": "...", "errors": [{"field": "...", "message": "..."}]}`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError as SchemaValidationError


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
