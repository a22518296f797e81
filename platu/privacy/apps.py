from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """PDPA: privacy notice, a person's data, erasure, retention, breaches, the ROPA."""

    name = "platu.privacy"
    label = "privacy"
    verbose_name = _("Personal data protection")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from platu.privacy import checks, signals  # noqa: F401

        autodiscover_modules("privacy")  # each app's privacy.py declares what it keeps about people
