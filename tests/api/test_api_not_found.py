"""An address under /api that no operation matches answers 404 in the API's JSON error shape,
whatever characters the path holds (control characters and Unicode line separators included):
never the site's HTML page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ODD_PATHS = [
    "/api/cycles/abc",
    "/api/ranking/lists/a%0Ab",  # a line feed inside the id
    "/api/ranking/lists/a%0Ab%0Dc%C2%85d%0Be%0Cf%E2%80%A8g%E2%80%A9h%0D%0Ai",
    "/api/outcomes/appeals/%0A",
    "/api/no-such-thing/%E2%80%A8",
]


@pytest.mark.parametrize("path", ODD_PATHS)
@pytest.mark.parametrize("method", ["get", "put", "post", "delete"])
def test_an_unmatched_api_address_is_a_json_404(client, hr, path, method):
    client.force_login(hr)
    response = getattr(client, method)(path, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404, (path, response.status_code)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    assert response.json()["detail"] == "Not found."
