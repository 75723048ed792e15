"""Reading the pages: the block of one form field, with its error, and the errors of a page."""

from __future__ import annotations

import re


def field_block(html: str, name: str) -> str:
    """The `<div class="field ...">` (or fieldset) holding the input named `name`, up to the next
    field: where the page shows that input's error."""
    at = html.index(f'name="{name}"')
    start = max(html.rfind('<div class="field', 0, at), html.rfind('<fieldset class="field', 0, at))
    following = [i for i in (html.find('<div class="field', at), html.find("</fieldset>", at)) if i != -1]
    end = min(following) if following else len(html)
    return html[start:end]


def field_errors(html: str, name: str) -> list[str]:
    return re.findall(r'<p class="field-error">([^<]*)</p>', field_block(html, name))


def errors(html: str) -> list[str]:
    return re.findall(r'<p class="field-error">([^<]*)</p>', html)
