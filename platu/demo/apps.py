from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The fictional demo network (`platu_demo`): the one app that depends on every module, so
    that no module imports another only to build its demo data."""

    name = "platu.demo"
    label = "demo"
    verbose_name = _("Demo network")
