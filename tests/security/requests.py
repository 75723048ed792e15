"""Building and sending the matrix's requests: path parameters from the world's objects, request
bodies from the OpenAPI schema (the required fields with plausible values, the row version of the
object in the path), and every request in a savepoint that is rolled back, so one actor's write
never changes what the next one sees."""

from __future__ import annotations

import copy
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from bagalau.api.main import api
from tests.security.world import PDF, BodyWorld
from tests.security.world_more import OBJECT_OF_PARAM as MORE_OBJECT_OF_PARAM

_SCHEMA: dict[str, Any] | None = None
OBJECT_OF_PARAM = {"cycle_id": "cycle", "plan_id": "plan", "sheet_id": "sheet", "file_id": "evidence",
                   "order_id": "order", "meeting_id": "meeting", "item_id": "item", "servant_id": "servant"}


def schema() -> dict[str, Any]:
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = api.get_openapi_schema()
    return _SCHEMA


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def version_for(world: BodyWorld, params: tuple[str, ...]) -> int:
    """The row version of the object the path names (the last parameter), re-read so it is current."""
    for p in reversed(params):
        obj = getattr(world, OBJECT_OF_PARAM.get(p, ""), None) or world.extra.get(MORE_OBJECT_OF_PARAM.get(p, ""))
        if obj is not None and hasattr(obj, "version"):
            return type(obj).objects.values_list("version", flat=True).get(pk=obj.pk)
    return 1


def example(node: dict[str, Any], name: str = "", *, version: int = 1) -> Any:
    """A plausible value for a JSON-schema node: only required object fields are filled."""
    node = _resolve(node)
    for key in ("anyOf", "oneOf"):
        if key in node:
            options = [o for o in node[key] if _resolve(o).get("type") != "null"]
            return example(options[0], name, version=version)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        return {k: example(v, k, version=version) for k, v in node.get("properties", {}).items()
                if k in node.get("required", [])}
    if kind == "array":
        return [example(node["items"], name, version=version) for _ in range(node.get("minItems", 0))]
    if kind == "integer":
        return version if name.endswith("version") else max(1, int(node.get("minimum", 1)))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if node.get("format") == "date":
        return "2025-01-17"
    return "Security matrix"


def request_body(method: str, path: str, version: int) -> tuple[str, dict[str, Any]] | None:
    op = schema()["paths"][path][method.lower()]
    body = op.get("requestBody")
    if not body:
        return None
    content_type, media = next(iter(body["content"].items()))
    return content_type, example(media["schema"], version=version)


def send(client: Client, method: str, url: str, *, json: Any = None, form: dict[str, Any] | None = None,
         multipart: dict[str, Any] | None = None):
    """One request in a rolled-back savepoint; the client's cookies are put back afterwards (a
    logout or a login would otherwise change who the next request is)."""
    saved = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if multipart is not None:
            response = client.post(url, multipart)
        elif json is not None:
            import json as _json

            response = client.generic(method, url, _json.dumps(json), content_type="application/json")
        elif method == "POST":
            response = client.post(url, form or {})
        else:
            response = client.generic(method, url)
        transaction.set_rollback(True)
    client.cookies = saved
    return response


def _query(method: str, path: str, version: int) -> str:
    """The required query parameters, e.g. `?expected_version=3`."""
    op = schema()["paths"][path][method.lower()]
    pairs = [f"{p['name']}={example(p.get('schema', {}), p['name'], version=version)}"
             for p in op.get("parameters", []) if p.get("in") == "query" and p.get("required")]
    return "?" + "&".join(pairs) if pairs else ""


def api_request(client: Client, method: str, path: str, params: tuple[str, ...], world: BodyWorld,
                override: Any = None, *, payload_world: BodyWorld | None = None):
    """`world` gives the path's objects; `payload_world` (the caller's own body) the request body's
    ids, as a caller reaching into another body would send them."""
    ids = world.ids()
    url = path.format(**{p: ids[p] for p in params})
    version = version_for(world, params)
    url += _query(method, path, version)
    if method == "GET":
        return send(client, method, url)
    built = request_body(method, path, version)
    if built is None:
        return send(client, method, url, json={})
    content_type, body = built
    # An id in the body names an object of the caller's world, never the schema example's 1 (which
    # only matches when the database's sequences happen to start there).
    own_ids = (payload_world or world).ids()
    body = {k: own_ids[k] if k in own_ids and isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in body.items()}
    if override is not None:
        body = {**body, **override(payload_world or world, version)}
    if content_type.startswith("multipart/"):
        body = {k: v for k, v in body.items() if k != "file"}
        return send(client, method, url, multipart={**body, "file": SimpleUploadedFile("report.pdf", PDF)})
    if content_type == "application/x-www-form-urlencoded" and method == "POST":
        return send(client, method, url, form=body)  # Form parameters (their optional file left out)
    return send(client, method, url, json=body)


def web_request(client: Client, method: str, name: str, params: tuple[str, ...], world: BodyWorld,
                form: Any = None, *, payload_world: BodyWorld | None = None):
    ids = world.ids()
    url = reverse(name, kwargs={p: ids[p] for p in params})
    if method == "POST":
        data = {"version": version_for(world, params)}
        if form is not None:
            data.update(form(payload_world or world))
        return send(client, method, url, form=data)
    return send(client, method, url)
