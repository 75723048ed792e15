"""Append-only, hash-chained audit trail: every state change of the system, provable afterwards."""

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class AuditConfig(AppConfig):
    name = "bagalau.audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from bagalau.audit.dbguard import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="bagalau.audit.sqlite_flush_function")
