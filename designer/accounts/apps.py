"""App config for accounts; registers the deployment checks."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "designer.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from designer.accounts import checks  # noqa: F401  (registers system checks)
