from django.apps import AppConfig


class LibConfig(AppConfig):
    """Thai helpers and template filters; no models."""

    name = "platu.lib"
    label = "platu_lib"

    def ready(self) -> None:
        from platu.lib import clientip  # noqa: F401 - registers its system check
