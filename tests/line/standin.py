"""A stand-in for LINE's Messaging API (api.line.me), run in a thread by the tests: it speaks the
documented endpoints Platu calls and checks each request as LINE does (the bearer token, JSON
bodies, message limits, user ids), and can be told to answer 429 or 5xx for the next calls.

    POST /v2/bot/message/push               {"to": "U…", "messages": [{"type": "text", "text": …}]}
    POST /v2/bot/message/reply              {"replyToken": …, "messages": [...]}
    POST /v2/bot/user/{userId}/linkToken    → {"linkToken": …}
    GET  /v2/bot/info                       → {"userId", "basicId", "displayName", …}

and LINE Login (access.line.me and api.line.me, v2.1), for the channels in `login_channels`:

    GET  /oauth2/v2.1/authorize   response_type=code, client_id, redirect_uri, state, scope
                                  (openid), bot_prompt, nonce → 302 to redirect_uri?code&state,
                                  as if `login_user` had signed in and agreed
    POST /oauth2/v2.1/token       form: grant_type=authorization_code, code (once), redirect_uri
                                  (the authorize one), client_id, client_secret
                                  → {"access_token", "id_token" (HS256 JWT signed with the channel
                                  secret: iss, sub, aud, exp, iat, nonce, name), …}
    POST /oauth2/v2.1/verify      form: id_token, client_id, nonce → the ID token's claims
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

USER_ID = re.compile(r"^U[0-9a-f]{32}$")


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class StandIn:
    token: str
    url: str = ""
    calls: list[Call] = field(default_factory=list)  # every request (accepted or not)
    pushed: list[dict[str, Any]] = field(default_factory=list)  # accepted pushes
    replied: list[dict[str, Any]] = field(default_factory=list)
    link_tokens: dict[str, str] = field(default_factory=dict)  # link token → LINE user id
    failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    retry_keys: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)  # requests refused as malformed
    login_channels: dict[str, str] = field(default_factory=dict)  # LINE Login channel id → secret
    login_user: str = "U" + "b2" * 16  # who signs in to LINE at the authorize step
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # authorization code → its request
    authorized: list[dict[str, str]] = field(default_factory=list)  # authorize requests' parameters
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, status: int, times: int = 1, retry_after: int | None = None) -> None:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        self.failures += [(status, headers)] * times


def _messages_ok(messages: Any) -> bool:
    return (
        isinstance(messages, list)
        and 1 <= len(messages) <= 5
        and all(
            isinstance(m, dict) and m.get("type") == "text" and isinstance(m.get("text"), str)
            and 1 <= len(m["text"]) <= 5000
            for m in messages
        )
    )  # fmt: skip


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def id_token(claims: dict[str, Any], secret: str) -> str:
    """An ID token as LINE Login signs it for a web login: a JWT, HS256 with the channel secret."""
    head = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}).encode())
    body = _b64(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(signature)}"


def read_id_token(token: str, secret: str) -> dict[str, Any] | None:
    try:
        head, body, signature = token.split(".")
        expected = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(_b64(expected), signature):
            return None
        claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return None
    return claims


def make_handler(state: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
            raw = json.dumps(body if body is not None else {}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw)

        def _refuse(self, status: int, message: str) -> None:
            state.errors.append(f"{self.command} {self.path}: {message}")
            self._answer(status, {"message": message})

        def _oauth_error(self, status: int, error: str, description: str) -> None:
            state.errors.append(f"{self.command} {urlsplit(self.path).path}: {description}")
            self._answer(status, {"error": error, "error_description": description})

        def _authorize(self, query: dict[str, str]) -> None:
            state.authorized.append(query)
            secret = state.login_channels.get(query.get("client_id", ""))
            if secret is None:
                return self._oauth_error(400, "invalid_request", "Invalid client_id")
            if query.get("response_type") != "code" or not query.get("state") or not query.get("nonce"):
                return self._oauth_error(
                    400, "invalid_request", "response_type, state and nonce are required"
                )
            if "openid" not in query.get("scope", "").split() or query.get("bot_prompt") not in (
                "normal",
                "aggressive",
            ):
                return self._oauth_error(400, "invalid_request", "Invalid scope or bot_prompt")
            redirect = query.get("redirect_uri", "")
            if not redirect.startswith(("https://", "http://")):
                return self._oauth_error(400, "invalid_request", "Invalid redirect_uri")
            code = secrets.token_urlsafe(16)
            state.codes[code] = query
            self.send_response(302)
            self.send_header("Location", redirect + "?" + urlencode(
                {"code": code, "state": query["state"], "friendship_status_changed": "true"}
            ))  # fmt: skip
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _token(self, form: dict[str, str]) -> None:
            asked = state.codes.pop(form.get("code", ""), None)  # a code is used once
            if form.get("grant_type") != "authorization_code" or asked is None:
                return self._oauth_error(400, "invalid_grant", "Invalid authorization code.")
            if form.get("redirect_uri") != asked["redirect_uri"]:
                return self._oauth_error(400, "invalid_grant", "redirect_uri does not match.")
            channel = form.get("client_id", "")
            if channel != asked["client_id"] or state.login_channels.get(channel) != form.get(
                "client_secret"
            ):
                return self._oauth_error(400, "invalid_client", "Invalid client_secret.")
            now = int(time.time())
            claims = {"iss": "https://access.line.me", "sub": state.login_user, "aud": channel, "exp": now + 3600,
                      "iat": now, "nonce": asked["nonce"], "amr": ["pwd"], "name": "มานี LINE"}  # fmt: skip
            return self._answer(200, {"access_token": secrets.token_urlsafe(24), "expires_in": 2592000,
                                      "id_token": id_token(claims, state.login_channels[channel]),
                                      "refresh_token": secrets.token_urlsafe(16), "scope": asked["scope"],
                                      "token_type": "Bearer"})  # fmt: skip

        def _verify(self, form: dict[str, str]) -> None:
            secret = state.login_channels.get(form.get("client_id", ""))
            claims = read_id_token(form.get("id_token", ""), secret) if secret else None
            if (
                claims is None
                or claims.get("aud") != form.get("client_id")
                or claims.get("exp", 0) < time.time()
                or ("nonce" in form and claims.get("nonce") != form["nonce"])
            ):
                return self._oauth_error(400, "invalid_request", "Invalid IdToken.")
            return self._answer(200, claims)

        def _login(self, raw: bytes) -> None:
            parts = urlsplit(self.path)
            with state.lock:
                state.calls.append(Call(self.command, parts.path, dict(self.headers.items()), raw.decode()))
            if self.command == "GET" and parts.path == "/oauth2/v2.1/authorize":
                return self._authorize({k: v[0] for k, v in parse_qs(parts.query).items()})
            if self.command != "POST" or not (self.headers.get("Content-Type") or "").startswith(
                "application/x-www-form-urlencoded"
            ):
                return self._oauth_error(400, "invalid_request", "Expected a form-encoded POST")
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            if parts.path == "/oauth2/v2.1/token":
                return self._token(form)
            if parts.path == "/oauth2/v2.1/verify":
                return self._verify(form)
            return self._oauth_error(404, "not_found", "Not found")

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if self.path.startswith("/oauth2/"):
                return self._login(raw)
            body: Any = None
            if raw:
                try:
                    body = json.loads(raw)
                except ValueError:
                    return self._refuse(400, "The request body has 1 error(s)")
            with state.lock:
                state.calls.append(Call(self.command, self.path, dict(self.headers.items()), body))
                failure = state.failures.pop(0) if state.failures else None
            if self.headers.get("Authorization") != f"Bearer {state.token}":
                return self._refuse(
                    401,
                    "Authentication failed. Confirm that the access token in the authorization header is valid.",
                )
            if raw and not (self.headers.get("Content-Type") or "").startswith("application/json"):
                return self._refuse(415, "Unsupported Media Type")
            if failure is not None:
                status, headers = failure
                return self._answer(status, {"message": "The API rate limit has been exceeded. Try again later."
                                             if status == 429 else "Internal server error"}, headers)  # fmt: skip
            if self.command == "GET" and self.path == "/v2/bot/info":
                return self._answer(200, {"userId": "U" + "0" * 32, "basicId": "@platu-test",
                                          "displayName": "ปลาทู ทดสอบ", "chatMode": "bot"})  # fmt: skip
            match = re.fullmatch(r"/v2/bot/user/([^/]+)/linkToken", self.path)
            if self.command == "POST" and match:
                if raw:
                    return self._refuse(400, "The request body must be empty")
                if not USER_ID.match(match.group(1)):
                    return self._refuse(400, "The value for the 'userId' parameter is invalid")
                link_token = secrets.token_urlsafe(24)
                state.link_tokens[link_token] = match.group(1)
                return self._answer(200, {"linkToken": link_token})
            if self.command == "POST" and self.path == "/v2/bot/message/push":
                if (
                    not isinstance(body, dict)
                    or not isinstance(body.get("to"), str)
                    or not USER_ID.match(body["to"])
                ):
                    return self._refuse(400, "The property, 'to', in the request body is invalid")
                if not _messages_ok(body.get("messages")):
                    return self._refuse(400, "The request body has 1 error(s)")
                key = self.headers.get("X-Line-Retry-Key")
                if key is not None:
                    if not re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", key):
                        return self._refuse(400, "The retry key is invalid")
                    if key in state.retry_keys:
                        return self._answer(409, {"message": "The retry key is already accepted"},
                                            {"x-line-accepted-request-id": "req-1"})  # fmt: skip
                    state.retry_keys.add(key)
                state.pushed.append(body)
                return self._answer(200, {"sentMessages": [{"id": "1", "quoteToken": "q"}]})
            if self.command == "POST" and self.path == "/v2/bot/message/reply":
                if (
                    not isinstance(body, dict)
                    or not isinstance(body.get("replyToken"), str)
                    or not body["replyToken"]
                ):
                    return self._refuse(400, "Invalid reply token")
                if not _messages_ok(body.get("messages")):
                    return self._refuse(400, "The request body has 1 error(s)")
                state.replied.append(body)
                return self._answer(200, {"sentMessages": [{"id": "2"}]})
            return self._refuse(404, "Not found")

        do_GET = _handle
        do_POST = _handle

    return Handler


def start(token: str) -> tuple[StandIn, ThreadingHTTPServer]:
    state = StandIn(token=token)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return state, server
