"""LINE's webhook: the signature checked (X-Line-Signature: base64 HMAC-SHA256 of the body under the
channel secret), then follow/message from someone not yet linked → a link token and the address to
link by; accountLink → the nonce names who confirmed; unfollow → the link ends."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import override

from platu.line import actions, client, crypto
from platu.line.models import Channel, Link

log = logging.getLogger(__name__)


def signature_ok(secret: str, body: bytes, signature: str) -> bool:
    expected = base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected, signature or "")


def link_address(channel: Channel, link_token: str) -> str:
    path = reverse("line:link", args=[channel.webhook_key]) + "?" + urlencode({"linkToken": link_token})
    return settings.PLATU_BASE_URL.rstrip("/") + path


def handle(channel: Channel, events: list[Any]) -> int:
    """Act on the events; how many were acted on. A failing call to LINE skips that event only."""
    done = 0
    token = crypto.decrypt(channel.token_encrypted)
    for event in events:
        if not isinstance(event, dict):
            continue
        source = event.get("source") or {}
        line_user_id = source.get("userId") if source.get("type") == "user" else None
        if not isinstance(line_user_id, str) or not line_user_id:
            continue
        kind = event.get("type")
        try:
            if kind == "accountLink":
                link = event.get("link") or {}
                if (
                    link.get("result") == "ok"
                    and isinstance(link.get("nonce"), str)
                    and actions.complete_link(channel, nonce=link["nonce"], line_user_id=line_user_id)
                ):
                    done += 1
            elif kind == "unfollow":
                row = (
                    Link.objects.filter(channel=channel, line_user_id=line_user_id)
                    .select_related("user")
                    .first()
                )
                if row is not None and actions.unlink(row.user, reason="unfollow"):
                    done += 1
            elif kind in ("follow", "message") and isinstance(event.get("replyToken"), str):
                if Link.objects.filter(channel=channel, line_user_id=line_user_id).exists():
                    continue
                address = link_address(channel, client.link_token(token, line_user_id))
                with override("th"):
                    text = _("To receive Platu notifications here, open this address and sign in to Platu:")
                client.reply(token, event["replyToken"], f"{text}\n{address}")
                done += 1
        except client.LineError as exc:
            log.warning("LINE webhook: %s event not handled: HTTP %s %s", kind, exc.status, exc.message)
    return done


def parse(body: bytes) -> list[Any] | None:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    events = payload.get("events") if isinstance(payload, dict) else None
    return events if isinstance(events, list) else None
