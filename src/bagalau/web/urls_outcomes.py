"""URLs of familiarization, refusal acts, appeals, consequences and the servant's own page
(views in web/outcomes/), included at the root of the `web` namespace."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
