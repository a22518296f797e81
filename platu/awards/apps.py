from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    """Recognition: award programmes, nominations, committee scoring, certificates."""

    name = "platu.awards"
    label = "awards"
    verbose_name = _("Awards")
