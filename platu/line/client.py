"""The LINE endpoints Platu calls, over plain HTTPS (urllib): the Messaging API's push and reply
a message, issue a link token, read the bot's name; LINE Login's token and ID-token check. The
address is settings.PLATU_LINE_API_URL (https://api.line.me unless set; the tests point it at
their stand-in server)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings

TIMEOUT = 10
TEXT_MAX = 5000  # characters in one text message


@dataclass
class LineError(Exception):
    """An answer other than 2xx, or no answer (status 0)."""

    status: int
    message: str = ""
    retry_after: int | None = None

    @property
    def temporary(self) -> bool:
        """Worth trying again later: too many requests, a server error or no answer."""
        return self.status in (0, 429) or self.status >= 500


def base_url() -> str:
    return str(getattr(settings, "PLATU_LINE_API_URL", "") or "https://api.line.me").rstrip("/")


def _call(method: str, path: str, token: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(base_url() + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        retry_after = exc.headers.get("Retry-After") if exc.headers else None
        try:
            message = json.loads(exc.read() or b"{}").get("message", "")
        except (ValueError, AttributeError):
            message = ""
        raise LineError(
            exc.code, str(message)[:200], int(retry_after) if retry_after and retry_after.isdigit() else None
        ) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise LineError(0, str(exc)[:200]) from exc
    return json.loads(raw) if raw.strip() else {}


def text_messages(text: str) -> list[dict[str, str]]:
    return [{"type": "text", "text": text[:TEXT_MAX]}]


def push(token: str, to: str, text: str, retry_key: str) -> None:
    """POST /v2/bot/message/push. The same X-Line-Retry-Key on a retry: LINE answers 409 when the
    first try was in fact accepted, and the message is not sent twice."""
    try:
        _call("POST", "/v2/bot/message/push", token, {"to": to, "messages": text_messages(text)},
              {"X-Line-Retry-Key": retry_key})  # fmt: skip
    except LineError as exc:
        if exc.status != 409:
            raise


def reply(token: str, reply_token: str, text: str) -> None:
    """POST /v2/bot/message/reply: free of the monthly message quota."""
    _call(
        "POST", "/v2/bot/message/reply", token, {"replyToken": reply_token, "messages": text_messages(text)}
    )


def link_token(token: str, line_user_id: str) -> str:
    """POST /v2/bot/user/{userId}/linkToken: a token, valid ten minutes, to link this LINE user."""
    answer = _call("POST", f"/v2/bot/user/{quote(line_user_id, safe='')}/linkToken", token)
    return str(answer["linkToken"])


def bot_info(token: str) -> dict[str, Any]:
    """GET /v2/bot/info: the account's name and LINE ID; proves the access token works."""
    answer = _call("GET", "/v2/bot/info", token)
    return answer if isinstance(answer, dict) else {}


# -- LINE Login (OAuth 2.1 / OpenID Connect): the web login that links a person's LINE account -----


def _form_post(path: str, fields: dict[str, str]) -> Any:
    """A form-encoded POST, as LINE Login's token and verify endpoints take them."""
    data = urlencode(fields).encode("ascii")
    request = urllib.request.Request(base_url() + path, data=data, method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        try:
            answer = json.loads(exc.read() or b"{}")
            message = str(answer.get("error_description") or answer.get("error") or "")
        except (ValueError, AttributeError):
            message = ""
        raise LineError(exc.code, message[:200]) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise LineError(0, str(exc)[:200]) from exc
    try:
        answer = json.loads(raw)
    except ValueError as exc:
        raise LineError(502, "not JSON") from exc
    if not isinstance(answer, dict):
        raise LineError(502, "not an object")
    return answer


def login_token(channel_id: str, secret: str, code: str, redirect_uri: str) -> dict[str, Any]:
    """POST /oauth2/v2.1/token: the authorization code for an access token and an ID token. The
    redirect_uri must be the one the authorization request named."""
    answer: dict[str, Any] = _form_post("/oauth2/v2.1/token", {
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
        "client_id": channel_id, "client_secret": secret,
    })  # fmt: skip
    return answer


def verify_id_token(id_token: str, channel_id: str, nonce: str) -> dict[str, Any]:
    """POST /oauth2/v2.1/verify: LINE checks the ID token's signature, audience, expiry and nonce
    and answers its claims (`sub` is the LINE user id)."""
    answer: dict[str, Any] = _form_post(
        "/oauth2/v2.1/verify", {"id_token": id_token, "client_id": channel_id, "nonce": nonce}
    )
    return answer
