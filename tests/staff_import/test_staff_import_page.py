"""The staff import page through the Django test client: who may see it, what a good and a bad
upload show, and that no upload, however broken or large, gives a 500 or writes anything."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import SkipFile
from django.test import Client
from django.urls import reverse

from bagalau.orgs.middleware import SESSION_KEY
from bagalau.orgs.models import Servant, StructuralUnit
from bagalau.web.staff_import import SizeLimitHandler
from tests import factories
from tests.staff_import.roster_data import (
    EXPECTED,
    cp1251_roster,
    csv_bytes,
    table_counts,
    valid_rows,
    xlsx_bytes,
)
from tests.staff_import.test_staff_import_read import PNG

URL = reverse("web:staff_import")


def client_for(user, body=None) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if body is not None:
        session = client.session
        session[SESSION_KEY] = body.pk
        session.save()
    return client


def post_file(client: Client, name: str, data: bytes, **fields: str):
    return client.post(URL, {"file": SimpleUploadedFile(name, data), **fields})


def test_hr_sees_the_form_the_column_guide_and_the_templates(body, hr):
    response = client_for(hr).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html and 'name="check_only"' in html
    for key in ("unit_code", "parent_unit_code", "direct_manager_iin", "appointed_from"):
        assert f"<code>{key}</code>" in html
    assert reverse("web:staff_import_template_csv") in html
    assert reverse("web:staff_import_template_xlsx") in html


def test_the_templates_download(body, hr):
    client = client_for(hr)
    csv_response = client.get(reverse("web:staff_import_template_csv"))
    assert csv_response.status_code == 200
    assert csv_response["Content-Disposition"].startswith("attachment")
    assert csv_response.content.startswith(b"\xef\xbb\xbfunit_code,unit_name_kk")
    xlsx_response = client.get(reverse("web:staff_import_template_xlsx"))
    assert xlsx_response.status_code == 200 and xlsx_response.content.startswith(b"PK\x03\x04")


def test_anonymous_users_are_sent_to_log_in(db):
    response = Client().get(URL)
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_a_plain_servant_gets_403_and_writes_nothing(body, plain_servant_user):
    client = client_for(plain_servant_user)
    before = table_counts()
    assert client.get(URL).status_code == 403
    assert client.get(reverse("web:staff_import_template_csv")).status_code == 403
    response = post_file(client, "roster.csv", csv_bytes(valid_rows()))
    assert response.status_code == 403
    assert "HR service" in response.content.decode()  # the message names the roles that may import
    assert table_counts() == before


def test_a_valid_upload_imports_into_the_current_body_and_shows_a_summary(body, hr):
    response = post_file(client_for(hr), "roster.xlsx", xlsx_bytes(valid_rows()))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Import complete" in html and "roster.xlsx" in html
    assert "<dt>Servants</dt><dd>7</dd>" in html and "<dt>Structural units</dt><dd>5</dd>" in html
    assert Servant.objects.filter(body=body).count() == EXPECTED["servants"]


def test_check_only_on_the_page_writes_nothing(body, hr):
    before = table_counts()
    response = post_file(client_for(hr), "roster.csv", csv_bytes(valid_rows()), check_only="on")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The file is valid" in html and "<dt>Servants</dt><dd>7</dd>" in html
    assert table_counts() == before


def test_row_errors_are_listed_with_row_column_value_and_problem(body, hr):
    rows = valid_rows()
    rows[5]["iin"] = rows[5]["iin"][:11] + str((int(rows[5]["iin"][11]) + 1) % 10)
    rows[2]["category"] = "X-9"
    before = table_counts()
    response = post_file(client_for(hr), "roster.csv", csv_bytes(rows))
    assert response.status_code == 400
    html = response.content.decode()
    assert "nothing was imported" in html
    assert '<tr data-rule="category">' in html and '<tr data-rule="iin_check_digit">' in html
    assert "<td>7</td>" in html and "<td><code>iin</code></td>" in html and rows[5]["iin"] in html
    assert "check digit does not match" in html
    assert table_counts() == before


@pytest.mark.parametrize("name, data, expected", [
    ("roster.csv", cp1251_roster(), "Save the file as UTF-8"),
    ("roster.csv", b"unit_code,unit_name_kk,unit_name_ru\nA,B,C\n", "Required columns missing: position_code"),
    ("roster.xlsx", PNG, "This is not a CSV or XLSX file"),
    ("roster.csv", b"", "The file is empty."),
    ("roster.csv", b"\x00\x01\x02garbage\xff\xfe", "This is not a CSV or XLSX file"),
])
def test_bad_uploads_get_a_clear_message_and_write_nothing(body, hr, name, data, expected):
    before = table_counts()
    response = post_file(client_for(hr), name, data)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert table_counts() == before


def test_a_50_mb_upload_is_refused_with_a_clear_message(body, hr, tmp_path):
    big = tmp_path / "roster.csv"
    line = b"A,,,,,,,,,,,,,,,,,\n"
    with big.open("wb") as handle:
        handle.write(csv_bytes([]))
        handle.write(line * (50 * 1024 * 1024 // len(line)))
    assert big.stat().st_size > 50_000_000
    before = table_counts()
    with big.open("rb") as handle:
        response = client_for(hr).post(URL, {"file": handle})
    assert response.status_code == 400
    # "The file is larger than..." (no size): the upload handler stopped reading it, Django never stored it.
    assert "The file is larger than the limit of 5 MB" in response.content.decode()
    assert table_counts() == before


def test_the_upload_is_still_protected_against_csrf(body, hr):
    client = client_for(hr)
    client.handler.enforce_csrf_checks = True
    before = table_counts()
    response = client.post(URL, {"file": SimpleUploadedFile("roster.csv", csv_bytes(valid_rows()))})
    assert response.status_code == 403 and "CSRF" in response.content.decode()
    assert table_counts() == before
    token = client.get(URL).context["csrf_token"]
    response = client.post(URL, {"file": SimpleUploadedFile("roster.csv", csv_bytes(valid_rows())),
                                 "csrfmiddlewaretoken": str(token)})
    assert response.status_code == 200
    assert Servant.objects.filter(body=body).count() == EXPECTED["servants"]


def test_the_size_limit_handler_skips_the_rest_of_a_large_file():
    handler = SizeLimitHandler(None, limit=100)
    handler.new_file("file", "roster.csv", "text/csv", None)
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 60, 60)
    assert handler.too_large
    declared = SizeLimitHandler(None, limit=100)
    with pytest.raises(SkipFile):
        declared.new_file("file", "roster.csv", "text/csv", 5000)


def test_a_post_without_a_file_says_so(body, hr):
    response = client_for(hr).post(URL, {})
    assert response.status_code == 400
    assert "field is required" in response.content.decode()


def test_the_page_imports_into_the_current_body_only(body, other_body, hr):
    # hr is HR in `body` and a plain servant in `other_body`.
    other_servant = factories.servant(other_body)
    other_servant.user = hr
    other_servant.save(update_fields=["user"])
    before = table_counts()
    response = post_file(client_for(hr, other_body), "roster.csv", csv_bytes(valid_rows()), body=str(body.pk))
    assert response.status_code == 403  # the current body is other_body, where hr holds no staff role
    assert table_counts() == before
    response = post_file(client_for(hr, body), "roster.csv", csv_bytes(valid_rows()), body=str(other_body.pk))
    assert response.status_code == 200
    assert StructuralUnit.objects.filter(body=body).count() == EXPECTED["units"]
    assert not StructuralUnit.objects.filter(body=other_body).exists()


def test_hr_of_another_body_cannot_reach_this_body(body, other_body, hr, other_hr):
    response = post_file(client_for(other_hr, body), "roster.csv", csv_bytes(valid_rows()))
    # The session names `body`, but other_hr may not enter it: the middleware falls back to other_body.
    assert response.status_code == 200
    assert not StructuralUnit.objects.filter(body=body).exists()
    assert StructuralUnit.objects.filter(body=other_body).count() == EXPECTED["units"]
