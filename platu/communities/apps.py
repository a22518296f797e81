from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    """Communities of practice and PLCs, their members, sessions, RSVPs and attendance."""

    name = "platu.communities"
    label = "communities"
    verbose_name = _("Communities of practice")
