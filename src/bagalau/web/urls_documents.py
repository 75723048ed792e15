"""URLs of document downloads and batch jobs (views in web/documents/), included at the root of the `web` namespace."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
