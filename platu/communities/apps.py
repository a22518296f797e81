from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    """Communities of practice and PLCs, their members, sessions, RSVPs and attendance."""

    name = "platu.communities"
    label = "communities"
    verbose_name = _("Communities of practice")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from platu.orgs.models import Organisation

        post_save.connect(_network_moved, sender=Organisation, dispatch_uid="communities-network-path")


def _network_moved(sender: type, instance: object, **kwargs: object) -> None:
    """An organisation that moves under another parent takes its communities' network along."""
    from platu.communities.models import Community

    path = instance.network_path  # type: ignore[attr-defined]
    Community.objects.filter(organisation=instance).exclude(network_path=path).update(network_path=path)
