"""The pages keep to the Content Security Policy: scripts only from our origin with the request's
nonce (the htmx tag included), no inline styles or scripts, and the htmx settings of stack.md 1.4."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _pages(client, hr, body):
    factories.appoint(factories.servant(body), factories.position(factories.unit(body, "Z"), "Z1"))
    yield client.get(reverse("web:login"))
    client.force_login(hr)
    for name in ("web:home", "web:staff"):
        yield client.get(reverse(name))
    yield client.get("/no-such-page/")


def test_csp_header_with_a_nonce_that_the_htmx_script_carries(client, hr, body):
    client.force_login(hr)
    response = client.get(reverse("web:home"))
    header = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in header
    assert "style-src 'self'" in header and "unsafe-inline" not in header
    nonce = re.search(r"'nonce-([^']+)'", header).group(1)
    html = response.content.decode()
    tags = re.findall(r"<script[^>]*>", html)
    assert any("django_htmx/htmx-2.min.js" in t for t in tags)
    for tag in tags:
        assert f'nonce="{nonce}"' in tag and " src=" in tag


def test_no_inline_styles_or_scripts_anywhere(client, hr, body):
    for response in _pages(client, hr, body):
        html = response.content.decode()
        assert "<style" not in html
        assert " style=" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
        assert not re.search(r"\son[a-z]+=", html), "inline event handler"


def test_htmx_config_and_csrf_header(client, hr):
    client.force_login(hr)
    html = client.get(reverse("web:home")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html
    assert re.search(r'<body hx-headers=\'\{"X-CSRFToken": "[^"]+"\}\'>', html)


def test_css_is_served_from_our_origin(client):
    html = client.get(reverse("web:login")).content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/web/app.css">', html)
    assert "http://" not in html.split("</head>")[0] and "https://" not in html.split("</head>")[0]
