"""URLs of the ranking pages (views in web/ranking/), included at the root of the `web` namespace."""

from django.urls import URLPattern, URLResolver, path

from bagalau.web.ranking import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("ranking/", views.ranking_lists, name="ranking_lists"),
    path("ranking/cycles/<int:cycle_id>/prepare/", views.ranking_prepare, name="ranking_prepare"),
    path("ranking/<int:list_id>/", views.ranking_list, name="ranking_list"),
]
