"""URLs of the 360 survey pages (views in web/survey360/), included at the root of the `web` namespace."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
