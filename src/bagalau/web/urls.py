"""URLs of the server-rendered pages (namespace `web`)."""

from django.urls import include, path

from bagalau.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("body/", views.switch_body, name="switch_body"),
    path("staff/", views.staff, name="staff"),
    path("staff/import/", include("bagalau.web.urls_staff_import")),
    path("", include("bagalau.web.urls_cycles")),
    path("", include("bagalau.web.urls_commission")),
    path("", include("bagalau.web.urls_ranking")),
    path("", include("bagalau.web.urls_survey360")),
    path("", include("bagalau.web.urls_outcomes")),
    path("", include("bagalau.web.urls_documents")),
    path("", include("bagalau.web.urls_accounts")),
]
