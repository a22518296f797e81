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
from platu.line.models import BOT_PROMPTS, Channel, Digest, Link, LinkNonce, Preference
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
        link = _link(channel, row.user, line_user_id)
        record("line.linked", actor=row.user, obj=row.user, organisation=channel.organisation)
    return link


def _link(channel: Channel, user: Any, line_user_id: str) -> Link:
    """One LINE user per Platu account and per channel: an older tie of either is replaced."""
    Link.objects.filter(channel=channel, line_user_id=line_user_id).exclude(user=user).delete()
    link, _created = Link.objects.update_or_create(
        user=user, defaults={"channel": channel, "line_user_id": line_user_id}
    )
    return link


def save_login(
    org: Organisation, *, acting_user: Any, channel_id: str, secret: str, bot_prompt: str
) -> Channel:
    """The LINE Login channel linked to the organisation's Official Account: its id, its secret
    (encrypted) and how the login offers to add the account as a friend."""
    require_admin(acting_user, org)
    channel_id, secret = channel_id.strip(), secret.strip()
    if not channel_id.isdigit() or len(channel_id) > 20:
        raise InvalidAction(
            _("The LINE Login channel ID is a number (Basic settings tab)."), field="channel_id"
        )
    if not secret or len(secret) > 200 or not secret.isascii():
        raise InvalidAction(_("This is not a LINE Login channel secret."), field="secret")
    if bot_prompt not in dict(BOT_PROMPTS):
        raise InvalidAction(
            _("Choose how the login offers the LINE account from the list."), field="bot_prompt"
        )
    with transaction.atomic():
        channel = Channel.objects.select_for_update().filter(organisation=org).first()
        if channel is None:
            raise InvalidAction(_("Save the LINE Official Account's channel first."))
        channel.login_channel_id, channel.login_bot_prompt = channel_id, bot_prompt
        channel.login_secret_encrypted = crypto.encrypt(secret)
        channel.updated_by = acting_user
        channel.save()
        record("line.login_saved", actor=acting_user, obj=org, organisation=org,
               data={"channel_id": channel_id, "bot_prompt": bot_prompt})  # fmt: skip
    return channel


def link_by_login(channel: Channel, *, acting_user: Any, code: str, redirect_uri: str, nonce: str) -> Link:
    """LINE Login came back with a code for the signed-in person: exchange it for the ID token,
    have LINE verify it (audience and nonce ours), and link the LINE user it names."""
    if not getattr(acting_user, "is_authenticated", False) or not acting_user.is_active:
        raise ActionRefused(_("Sign in to link your LINE account."))
    if not channel.has_login:
        raise InvalidAction(_("This organisation's LINE account cannot be linked by LINE Login."))
    try:
        secret = crypto.decrypt(channel.login_secret_encrypted)
        tokens = client.login_token(channel.login_channel_id, secret, code[:500], redirect_uri)
        claims = client.verify_id_token(str(tokens.get("id_token", "")), channel.login_channel_id, nonce)
    except ValueError as exc:
        raise InvalidAction(_("The LINE Login channel must be saved again by an administrator.")) from exc
    except client.LineError as exc:
        if exc.status in (400, 401):
            raise InvalidAction(_("LINE did not confirm who signed in. Try linking again.")) from exc
        raise InvalidAction(_("LINE could not be reached; try again later.")) from exc
    line_user_id = str(claims.get("sub", ""))
    if (
        claims.get("aud") != channel.login_channel_id
        or claims.get("nonce") != nonce
        or not line_user_id.startswith("U")
        or len(line_user_id) > 64
    ):
        raise InvalidAction(_("LINE did not confirm who signed in. Try linking again."))
    with transaction.atomic():
        link = _link(channel, acting_user, line_user_id)
        record("line.linked", actor=acting_user, obj=acting_user, organisation=channel.organisation,
               data={"via": "line_login"})  # fmt: skip
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
