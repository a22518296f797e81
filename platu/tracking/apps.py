from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    """Monitoring the KM plan at 6, 9 and 12 months: rounds, progress entries with evidence,
    indicators computed from what happens in Platu, and the progress reports."""

    name = "platu.tracking"
    label = "tracking"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from platu.tracking import measures

        measures.autodiscover()
