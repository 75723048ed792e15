from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Survey360Config(AppConfig):
    name = "bagalau.assessments.survey360"
    label = "survey360"
    verbose_name = _("360 survey")
