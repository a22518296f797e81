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
        from platu.knowledge import links

        links.register("community", _link_choices)


def _link_choices(user: object, item: object) -> list[tuple[int, str]]:
    """A knowledge item links to the communities its writer is a member of (and keeps those it
    is linked to that the writer may see)."""
    from django.db.models import Q

    from platu.communities.models import Community, Member

    if not getattr(user, "is_authenticated", False):
        return []
    mine = Q(members__person__user=user, members__state=Member.State.MEMBER)
    if item is not None:
        linked = item.links.filter(kind="community").values("target_id")  # type: ignore[attr-defined]
        mine |= Q(pk__in=linked) & Q(pk__in=Community.objects.visible_to(user).values("pk"))
    from platu.lib.thainames import thai_sorted

    rows = Community.objects.filter(mine).distinct().values_list("pk", "name")
    return thai_sorted([(pk, name) for pk, name in rows], key=lambda r: r[1])


def _network_moved(sender: type, instance: object, **kwargs: object) -> None:
    """An organisation that moves under another parent takes its communities' network along."""
    from platu.communities.models import Community

    path = instance.network_path  # type: ignore[attr-defined]
    Community.objects.filter(organisation=instance).exclude(network_path=path).update(network_path=path)
