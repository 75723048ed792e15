"""The back office speaks Kazakh and Russian: it follows LocaleMiddleware like every other page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories


@pytest.mark.parametrize(("lang", "logout"), [("kk", "Шығу"), ("ru", "Выйти")])
def test_admin_index_renders_in_kk_and_ru(hr_client, lang, logout):
    response = hr_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{lang}"' in content
    assert logout in content  # Django's own admin catalog for that language
    assert reverse("admin:orgs_servant_changelist") in content


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_changelist_and_add_form_render_in_kk_and_ru(hr_client, body, lang):
    unit = factories.unit(body, "01")
    factories.appoint(factories.servant(body), factories.position(unit, "01-01"))
    for url in (reverse("admin:orgs_servant_changelist"), reverse("admin:orgs_absence_add"),
                reverse("admin:orgs_position_changelist")):
        response = hr_client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code == 200, url
        assert f'<html lang="{lang}"' in response.content.decode()


def test_names_follow_the_language(hr_client, body):
    unit = factories.unit(body, "01")
    factories.position(unit, "01-01")
    kk = hr_client.get(reverse("admin:orgs_position_changelist"), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    ru = hr_client.get(reverse("admin:orgs_position_changelist"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Лауазым 01-01" in kk and "Должность 01-01" not in kk
    assert "Должность 01-01" in ru
    assert body.name_ru in ru
