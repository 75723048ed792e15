"""Template filters for numbers and names in the active language.

`amount` groups thousands even though USE_THOUSAND_SEPARATOR is off (ids, years and codes must
not be grouped, so the switch stays off globally): `{{ 1234567.89|amount }}` gives
"1 234 567,89" under kk and ru. `local_name` picks the kk or ru name of a body, unit or position.
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()


@register.filter
def amount(value: object, decimal_pos: int | None = None) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, (int, float, Decimal)):
        try:
            value = Decimal(str(value))
        except ArithmeticError:
            return str(value)
    return number_format(value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)


@register.filter
def local_name(obj: object) -> str:
    """`obj.name(lang)` (or `obj.title(lang)` for a position) for the active language."""
    lang = get_language() or "kk"
    for attr in ("name", "title"):
        method = getattr(obj, attr, None)
        if callable(method):
            return str(method(lang))
    return str(obj)
