"""The API root: session authentication (with CSRF) for every operation, one error shape."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from bagalau.api import commission, cycles, documents, errors, inbox, orgs, outcomes, ranking, survey360

api = NinjaAPI(
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
