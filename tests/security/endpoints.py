"""Every address the application answers, enumerated from the URL resolver and the API's OpenAPI
document, so a new page or operation shows up here without anyone listing it by hand."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from bagalau.api.main import api

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class UrlEntry:
    name: str  # namespaced url name, e.g. "web:plan"
    route: str  # the Django route, e.g. "plans/<int:plan_id>/"
    params: tuple[str, ...]


@dataclass(frozen=True)
class ApiOperation:
    method: str  # upper case
    path: str  # OpenAPI path, e.g. "/api/cycles/{cycle_id}"
    operation_id: str

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(re.findall(r"{(\w+)}", self.path))


_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def _walk(resolver: URLResolver, prefix: str, namespaces: tuple[str, ...]):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = namespaces + ((p.namespace,) if p.namespace else ())
            yield from _walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            name = ":".join(namespaces + (p.name or f"<unnamed {route}>",))
            yield UrlEntry(name=name, route=route, params=tuple(_PARAM.findall(route)))


def url_entries() -> list[UrlEntry]:
    """Every URL pattern of the project, nested includes walked, de-duplicated by name and route."""
    seen: dict[tuple[str, str], UrlEntry] = {}
    for e in _walk(get_resolver(), "", ()):
        seen.setdefault((e.name, e.route), e)
    return list(seen.values())


def api_operations() -> list[ApiOperation]:
    schema = api.get_openapi_schema()
    ops = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            if method in HTTP_METHODS:
                ops.append(ApiOperation(method=method.upper(), path=path, operation_id=op.get("operationId", "")))
    return sorted(ops, key=lambda o: (o.path, o.method))


def openapi_path_of(route: str) -> str:
    """"api/cycles/<int:cycle_id>" -> "/api/cycles/{cycle_id}"."""
    return "/" + _PARAM.sub(lambda m: "{" + m.group(1) + "}", route)
