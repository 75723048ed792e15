from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "bagalau.web"
    verbose_name = "Web"
