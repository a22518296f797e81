from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The Thai-first shell: layout, home, language, text size, organisation switcher."""

    name = "platu.core"
    label = "core"
    verbose_name = _("Shell")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("home")  # each app's home.py registers its home-page panels
        autodiscover_modules("housekeeping")  # and its housekeeping.py its daily jobs
