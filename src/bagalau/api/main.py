"""The API root: session authentication (with CSRF) for every operation, one error shape."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.security import django_auth

from bagalau.api import commission, cycles, documents, errors, inbox, orgs, outcomes, ranking, survey360


class BagalauAPI(NinjaAPI):
    """Ninja with a last, catch-all address: a path no operation matches (`/api/cycles/abc`, where
    an integer id is expected) answers 404 in the API's error shape, not the site's HTML page. The
    pattern takes any character, line feeds included (`.*` stops at a `%0A` in a path)."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        return [*super()._get_urls(), re_path(r"^[\s\S]*$", self._not_found, name="not_found")]

    def _not_found(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        return self.create_response(request, {"detail": _("Not found."), "errors": []}, status=404)


api = BagalauAPI(
    title="bagalau API",
    version="1",
    description="Corps B performance evaluation. Every operation acts in the caller's current state body.",
    auth=django_auth,
    urls_namespace="api",
)
errors.install(api)
api.add_router("/orgs", orgs.router)
api.add_router("/cycles", cycles.router)
api.add_router("/inbox", inbox.router)
api.add_router("/commission", commission.router)
api.add_router("/ranking", ranking.router)
api.add_router("/survey360", survey360.router)
api.add_router("/outcomes", outcomes.router)
api.add_router("/documents", documents.router)
