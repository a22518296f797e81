from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operating an installation: backups and restores (`platu_backup`, `platu_restore`)."""

    name = "platu.ops"
    label = "ops"
    verbose_name = "Operations"
