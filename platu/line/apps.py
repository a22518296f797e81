from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LineConfig(AppConfig):
    name = "platu.line"
    label = "line"
    verbose_name = _("LINE notifications")

    def ready(self) -> None:
        from platu.line.route import route
        from platu.notify import routing

        routing.register(route)
