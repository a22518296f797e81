from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The executive dashboard of an organisation and a parent office's roll-up over its subtree."""

    name = "platu.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from platu.dashboards import pending

        pending.connect()  # what the figures count is noted on save and counted again on commit
