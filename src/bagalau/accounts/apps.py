"""Sign-in security: throttling and lockout, two-factor (TOTP), sessions and their audit; and data
safety: backup and restore, personal data export, retention."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "bagalau.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth import signals
        from django.db.models.signals import pre_delete, pre_save

        from bagalau.accounts import retention
        from bagalau.accounts.services import signin

        signals.user_logged_in.connect(signin.on_logged_in, dispatch_uid="bagalau.accounts.logged_in")
        signals.user_logged_out.connect(signin.on_logged_out, dispatch_uid="bagalau.accounts.logged_out")
        signals.user_login_failed.connect(signin.on_login_failed, dispatch_uid="bagalau.accounts.login_failed")
        pre_save.connect(retention.refuse_change, dispatch_uid="bagalau.accounts.archive_guard_save")
        pre_delete.connect(retention.refuse_change, dispatch_uid="bagalau.accounts.archive_guard_delete")
