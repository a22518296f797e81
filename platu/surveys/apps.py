from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Surveys: the KM atmosphere, understanding of KM, session and training feedback."""

    name = "platu.surveys"
    label = "surveys"
    verbose_name = _("Surveys")
