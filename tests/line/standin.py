"""A stand-in for LINE's Messaging API (api.line.me), run in a thread by the tests: it speaks the
documented endpoints Platu calls and checks each request as LINE does (the bearer token, JSON
bodies, message limits, user ids), and can be told to answer 429 or 5xx for the next calls.

    POST /v2/bot/message/push               {"to": "U…", "messages": [{"type": "text", "text": …}]}
    POST /v2/bot/message/reply              {"replyToken": …, "messages": [...]}
    POST /v2/bot/user/{userId}/linkToken    → {"linkToken": …}
    GET  /v2/bot/info                       → {"userId", "basicId", "displayName", …}
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

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

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
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
