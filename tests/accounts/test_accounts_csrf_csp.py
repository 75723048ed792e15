"""CSRF on forms and htmx calls, a CSP without 'unsafe-inline', and every page template free of
inline scripts, styles and event handlers (so a template added later fails here, not in a
browser's console)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "bagalau" / "web" / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def test_the_policy_has_no_unsafe_inline():
    for directive, sources in settings.SECURE_CSP.items():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, directive
    assert "'self'" in settings.SECURE_CSP["style-src"]


def test_page_templates_have_no_inline_script_style_or_handler():
    files = sorted(TEMPLATES.rglob("*.html"))
    assert len(files) > 10
    offenders = []
    for path in files:
        text = TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8"))
        for name, pattern in (("inline script", INLINE_SCRIPT), ("inline style", INLINE_STYLE),
                              ("event handler", HANDLER)):
            if pattern.search(text):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {name}")
    assert offenders == []


def test_the_scan_catches_what_it_looks_for():
    assert INLINE_SCRIPT.search('<script nonce="x">alert(1)</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" nonce="x"></script>')
    assert INLINE_STYLE.search('<p style="color:red">') and INLINE_STYLE.search("<style>p{}</style>")
    assert HANDLER.search('<button onclick="go()">')


def test_a_form_post_without_the_token_is_403(body):
    hr = factories.user("hr_csrf")
    factories.grant(hr, body)
    client = Client(enforce_csrf_checks=True)
    client.force_login(hr)
    assert client.post(reverse("web:switch_body"), {"body": body.pk}).status_code == 403
    page = client.get(reverse("web:home"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    ok = client.post(reverse("web:switch_body"), {"body": body.pk, "csrfmiddlewaretoken": token})
    assert ok.status_code == 302


def test_an_htmx_call_without_the_header_is_403_and_with_the_body_header_passes(body):
    hr = factories.user("hr_htmx")
    factories.grant(hr, body)
    client = Client(enforce_csrf_checks=True)
    client.force_login(hr)
    html = client.get(reverse("web:home")).content.decode()
    token = re.search(r'<body hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'>', html).group(1)
    url = reverse("web:switch_body")
    assert client.post(url, {"body": body.pk}, HTTP_HX_REQUEST="true").status_code == 403
    response = client.post(url, {"body": body.pk}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 302


def test_the_login_form_needs_the_token(db):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("web:login"), {"username": "x", "password": "y"}).status_code == 403
