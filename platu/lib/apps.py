from django.apps import AppConfig


class LibConfig(AppConfig):
    """Thai helpers and template filters; no models."""

    name = "platu.lib"
    label = "platu_lib"
