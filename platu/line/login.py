"""LINE Login as the second way to link a LINE account: the authorization request (with
bot_prompt, so that the person can add the organisation's LINE account as a friend in the same
step) and its `state`, signed and tied to the person's Platu session.

The state names the channel, the person and a nonce, is signed with SECRET_KEY and kept in the
session too: the callback accepts it only in the session that started the login, for the person
signed in there, within ten minutes, once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from platu.line.models import Channel

SALT = "platu.line.login"
SESSION_KEY = "platu_line_login"
MAX_AGE = 600  # seconds


def access_url() -> str:
    """Where people sign in to LINE (https://access.line.me unless PLATU_LINE_ACCESS_URL is set)."""
    return str(getattr(settings, "PLATU_LINE_ACCESS_URL", "") or "https://access.line.me").rstrip("/")


def redirect_uri() -> str:
    """The callback, as registered in the LINE Login channel (Callback URL)."""
    return str(settings.PLATU_BASE_URL).rstrip("/") + reverse("line:login_callback")


def authorize_url(request: HttpRequest, channel: Channel) -> str:
    """Start a login for the signed-in person: a fresh state and nonce, kept in the session."""
    nonce = secrets.token_urlsafe(24)
    state = signing.dumps({"c": channel.pk, "u": request.user.pk, "n": nonce}, salt=SALT)
    request.session[SESSION_KEY] = state
    query = urlencode({
        "response_type": "code", "client_id": channel.login_channel_id, "redirect_uri": redirect_uri(),
        "state": state, "scope": "profile openid", "bot_prompt": channel.login_bot_prompt, "nonce": nonce,
    })  # fmt: skip
    return f"{access_url()}/oauth2/v2.1/authorize?{query}"


@dataclass
class Started:
    channel: Channel
    nonce: str


def check_state(request: HttpRequest, state: str) -> Started | None:
    """The login this session started (and the same person), once; None for anything else."""
    kept = request.session.pop(SESSION_KEY, None)
    if not state or not isinstance(kept, str) or not secrets.compare_digest(kept.encode(), state.encode()):
        return None
    try:
        value: Any = signing.loads(state, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if (
        not isinstance(value, dict)
        or value.get("u") != request.user.pk
        or not isinstance(value.get("c"), int)
    ):
        return None
    channel = Channel.objects.filter(pk=int(value["c"])).select_related("organisation").first()
    if channel is None or not channel.has_login:
        return None
    return Started(channel=channel, nonce=str(value.get("n", "")))
