from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetencyConfig(AppConfig):
    """Competency frameworks, the yearly assessment cycle and the 3-year people-development plan."""

    name = "platu.competency"
    label = "competency"
    verbose_name = _("Competency and development")
