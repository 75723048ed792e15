"""URLs of the ranking pages (views in web/ranking/), included at the root of the `web` namespace."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
