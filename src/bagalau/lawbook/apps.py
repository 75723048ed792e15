from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LawbookConfig(AppConfig):
    name = "bagalau.lawbook"
    verbose_name = _("Methodology and calendar")
