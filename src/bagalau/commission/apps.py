from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionConfig(AppConfig):
    name = "bagalau.commission"
    verbose_name = _("Evaluation commission")
