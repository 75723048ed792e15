"""The OpenAPI document keeps one component per schema class name: two routers declaring a
`MeOut` each would have one silently documented with the other's fields (schemathesis found
/api/orgs/me answering a body that did not match "its" MeOut, which was the outcomes' one). Two
modules may share a name only for the very same shape (a `MoveIn` with one `expected_version`)."""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections import defaultdict

from ninja import Schema

import bagalau.api
from bagalau.api.main import api


def test_no_two_api_modules_document_a_schema_under_the_same_name():
    components = set(api.get_openapi_schema()["components"]["schemas"])
    owners: dict[str, dict[str, str]] = defaultdict(dict)
    for info in pkgutil.iter_modules(bagalau.api.__path__):
        module = importlib.import_module(f"bagalau.api.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Schema) and obj.__module__ == module.__name__:
                owners[obj.__name__][module.__name__] = json.dumps(obj.model_json_schema(), sort_keys=True)
    clashes = {name: sorted(shapes) for name, shapes in owners.items()
               if name in components and len(set(shapes.values())) > 1}
    assert not clashes, f"schema names documented by more than one module (rename one): {clashes}"
