from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bagalau.audit"
    verbose_name = "Audit"
