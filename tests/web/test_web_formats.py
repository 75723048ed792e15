"""Kazakh and Russian date and number formats (Django ships no kk formats module; ours is in
bagalau/formats/kk)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format, get_format

DAY = dt.date(2026, 11, 23)
NBSP = "\xa0"


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_short_date_and_grouped_number(lang):
    with translation.override(lang):
        assert date_format(DAY, "SHORT_DATE_FORMAT") == "23.11.2026"
        assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=DAY) == "23.11.2026"
        out = render("{% load bagalau_format %}{{ n|amount }}", n=Decimal("1234567.89"))
        assert out == f"1{NBSP}234{NBSP}567,89"
        assert out.replace(NBSP, " ") == "1 234 567,89"
        assert render("{% load l10n %}{% localize on %}{{ n }}{% endlocalize %}", n=1234567.89) == "1234567,89"
        assert get_format("FIRST_DAY_OF_WEEK") == 1


def test_kazakh_long_date_uses_the_lower_case_genitive_month():
    with translation.override("kk"):
        assert render("{{ d }}", d=DAY) == "23 қараша 2026 ж."
        assert date_format(DAY, "MONTH_DAY_FORMAT") == "23 қараша"


def test_russian_long_date():
    with translation.override("ru"):
        assert render("{{ d }}", d=DAY) == "23 ноября 2026 г."


def test_kazakh_date_input_formats_parse_both_ways():
    from django import forms

    with translation.override("kk"):
        field = forms.DateField(localize=True)
        assert field.clean("23.11.2026") == DAY
        assert field.clean("2026-11-23") == DAY


def test_amount_leaves_non_numbers_alone():
    with translation.override("kk"):
        assert render("{% load bagalau_format %}{{ n|amount }}", n="abc") == "abc"
        assert render("{% load bagalau_format %}{{ n|amount }}", n=None) == ""
        assert render("{% load bagalau_format %}{{ n|amount:2 }}", n=1000) == f"1{NBSP}000,00"
