"""Actions of the LINE app: each checks who may, changes, and leaves an audit row (never a
secret in it)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.audit.log import record
from platu.lib.errors import ActionRefused, InvalidAction
from platu.line import client, crypto
from platu.line.kinds import choices
from platu.line.models import Channel, Digest, Link, LinkNonce, Preference
from platu.orgs.access import require_admin
from platu.orgs.models import Organisation

NONCE_TTL = timedelta(minutes=10)  # as LINE's link token


def save_channel(org: Organisation, *, acting_user: Any, secret: str, token: str) -> Channel:
    """Keep the channel secret and access token, encrypted, after LINE has accepted the token."""
    require_admin(acting_user, org)
    secret, token = secret.strip(), token.strip()
    if not secret or not token:
        raise InvalidAction(_("Enter both the channel secret and the channel access token."))
    if len(secret) > 200 or len(token) > 1000 or not secret.isascii() or not token.isascii():
        raise InvalidAction(_("This is not a LINE channel secret and access token."))
    try:
        info = client.bot_info(token)
    except client.LineError as exc:
        if exc.status in (401, 403):
            raise InvalidAction(_("LINE did not accept this channel access token."), field="token") from exc
        raise InvalidAction(_("LINE could not be reached; try again later.")) from exc
    with transaction.atomic():
        channel, created = Channel.objects.select_for_update().get_or_create(
            organisation=org,
            defaults={"secret_encrypted": crypto.encrypt(secret), "token_encrypted": crypto.encrypt(token)},
        )
        channel.secret_encrypted = crypto.encrypt(secret)
        channel.token_encrypted = crypto.encrypt(token)
        channel.bot_name = str(info.get("displayName", ""))[:200]
        channel.bot_basic_id = str(info.get("basicId", ""))[:100]
        channel.updated_by = acting_user
        channel.save()
        record("line.channel_saved", actor=acting_user, obj=org, organisation=org,
               data={"new": created, "basic_id": channel.bot_basic_id})  # fmt: skip
    return channel


def remove_channel(org: Organisation, *, acting_user: Any) -> None:
    require_admin(acting_user, org)
    with transaction.atomic():
        channel = Channel.objects.filter(organisation=org).first()
        if channel is None:
            raise InvalidAction(_("This organisation has no LINE channel."))
        links = channel.links.count()
        channel.delete()
        record("line.channel_removed", actor=acting_user, obj=org, organisation=org, data={"links": links})


def start_link(channel: Channel, *, acting_user: Any) -> str:
    """The signed-in person confirmed: a nonce for LINE's account-link dialog."""
    if not getattr(acting_user, "is_authenticated", False) or not acting_user.is_active:
        raise ActionRefused(_("Sign in to link your LINE account."))
    LinkNonce.objects.filter(user=acting_user, used_at=None).delete()
    nonce = secrets.token_urlsafe(32)
    LinkNonce.objects.create(user=acting_user, channel=channel, nonce=nonce)
    return nonce


def complete_link(channel: Channel, *, nonce: str, line_user_id: str) -> Link | None:
    """LINE's accountLink event: the nonce names the person who confirmed, if fresh and unused."""
    with transaction.atomic():
        row = (
            LinkNonce.objects.select_for_update()
            .filter(channel=channel, nonce=nonce, used_at=None, created_at__gte=timezone.now() - NONCE_TTL)
            .select_related("user")
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
        Link.objects.filter(channel=channel, line_user_id=line_user_id).exclude(user=row.user).delete()
        link, _created = Link.objects.update_or_create(
            user=row.user, defaults={"channel": channel, "line_user_id": line_user_id}
        )
        record("line.linked", actor=row.user, obj=row.user, organisation=channel.organisation)
    return link


def unlink(user: Any, *, acting_user: Any = None, reason: str = "") -> bool:
    """The person themself, or LINE's unfollow event (acting_user None)."""
    if acting_user is not None and acting_user.pk != user.pk:
        raise ActionRefused(_("Only you can unlink your LINE account."))
    with transaction.atomic():
        link = Link.objects.filter(user=user).select_related("channel__organisation").first()
        if link is None:
            return False
        link.delete()
        record("line.unlinked", actor=acting_user, obj=user, organisation=link.channel.organisation,
               data={"reason": reason} if reason else None)  # fmt: skip
    return True


def save_preferences(user: Any, *, ways: dict[str, dict[str, bool]], daily: bool) -> bool:
    """``ways``: kind → {"in_app", "email", "line"}; kinds not named keep their rows."""
    known = {k for k, _label in choices()}
    if not set(ways) <= known:
        raise InvalidAction(_("Unknown kind of notification."))
    with transaction.atomic():
        for kind, chosen in ways.items():
            Preference.objects.update_or_create(
                user=user, kind=kind,
                defaults={"in_app": chosen.get("in_app", False), "email": chosen.get("email", False),
                          "line": chosen.get("line", False)},
            )  # fmt: skip
        Digest.objects.update_or_create(user=user, defaults={"daily": daily})
        record("line.preferences", actor=user, obj=user,
               data={"daily": daily, "ways": {k: sorted(w for w, on in v.items() if on) for k, v in ways.items()}})  # fmt: skip
    return True
