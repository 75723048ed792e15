"""The registry of official forms. Each form is one small module under `forms/` that registers a
`Form`: how to find its object through the owning app's selectors (which decide who may see it),
a data builder that returns a plain dict in one language, and an HTML template; the DOCX is
rendered from the same dict (`render/docx.py`), with an optional per-form hook.

The dict a builder returns has a fixed shape so that both renderers can lay out any form:

    form, lang, title, annex, body_name, legal {methodology, reference, version},
    facts [[label, value]], sections [{heading, columns, rows, widths?} | {heading, paragraphs}
    | {heading, chart: [{label, value, max}]}], summary [[label, value]], clauses [{id, title,
    verified}], signatures {columns, rows [{role, name, signed_at, status}]}, footer {generated,
    colophon, signed_content}, created (ISO datetime of the object's last relevant event, used as
    the PDF's creation date so the bytes do not depend on when they were rendered), object
    {state, signed, methodology_version}, filename (ASCII stem).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Form:
    code: str
    model: str  # "app_label.modelname" of the object rendered
    title_key: str  # key in forms/texts.yaml
    template: str
    # (user, body, object_id) -> the object; Http404 / PermissionDenied from the owning app's selectors.
    load: Callable[[Any, Any, int], Any]
    # (object, lang) -> the form's data dict.
    build: Callable[[Any, str], dict[str, Any]]
    # (cycle) -> ids of the objects of this form in a cycle, for the batch, in print order.
    of_cycle: Callable[[Any], list[int]]
    docx_hook: Callable[[Any, dict[str, Any]], None] | None = None
    order: int = 100  # position in a batch's ZIP and in the download lists


_FORMS: dict[str, Form] = {}


def register(form: Form) -> Form:
    if form.code in _FORMS and _FORMS[form.code] != form:
        raise ValueError(f"form {form.code!r} is registered twice")
    _FORMS[form.code] = form
    return form


def _load_all() -> None:
    # Importing the package registers every form module it lists.
    from bagalau.documents import forms  # noqa: F401


def get(code: str) -> Form:
    _load_all()
    try:
        return _FORMS[code]
    except KeyError:
        raise Http404(_("No such form: %(code)s.") % {"code": code}) from None


def all_forms() -> list[Form]:
    _load_all()
    return sorted(_FORMS.values(), key=lambda f: (f.order, f.code))


def forms_for_model(model: str) -> list[Form]:
    return [f for f in all_forms() if f.model == model]
