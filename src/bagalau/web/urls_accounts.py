"""URLs of sign-in security: two-factor set-up and verification (views in web/accounts/),
included at the root of the `web` namespace."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
