"""Runs the test OIDC provider in a subprocess for the tests, and walks its sign-in with
``requests`` as a browser would (Platu served by pytest-django's live_server)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "provider-password-2569"
CLIENTS = {"dga": ("platu-dga", "dga-secret-0123456789"), "thaid": ("platu-thaid", "thaid-secret-0123456789")}
CITIZEN_ID = "1101700203451"
USERS = [
    # username on the provider, claims
    {"username": "invited", "email": "invited@example.go.th", "email_verified": True,
     "given_name": "ใจดี", "family_name": "รักเรียน"},
    {"username": "unverified", "email": "member@example.go.th", "email_verified": False,
     "given_name": "มานี", "family_name": "มีนา"},
    {"username": "owner", "email": "owner@example.go.th", "email_verified": True,
     "given_name": "สมชาย", "family_name": "ใจดี"},
    {"username": "citizen", "email": "", "email_verified": False,
     "given_name": "มานี", "family_name": "มีนา", "pid": CITIZEN_ID},
    {"username": "stranger", "email": "nobody@example.com", "email_verified": True,
     "given_name": "สมชาย", "family_name": "ใจดี"},
]  # fmt: skip


@dataclass
class Provider:
    base: str  # http://127.0.0.1:PORT
    process: subprocess.Popen[bytes]
    log: Path
    platu: str = ""

    @property
    def issuer(self) -> str:
        return self.base + "/o"

    def apps(self) -> dict[str, Any]:
        scopes = {"dga": ["openid", "profile", "email"], "thaid": ["openid", "profile", "email", "pid"]}
        names = {"dga": "DGA Digital ID", "thaid": "ThaID"}
        return {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": key,
                        "name": names[key],
                        "client_id": CLIENTS[key][0],
                        "secret": CLIENTS[key][1],
                        "settings": {"server_url": self.issuer, "scope": scopes[key]},
                    }
                    for key in ("dga", "thaid")
                ],
            }
        }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start(folder: Path, platu_url: str) -> Provider:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_path = folder / "oidc-key.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    seed = {
        "clients": [
            {"client_id": cid, "client_secret": secret,
             "redirect_uris": [f"{platu_url}/accounts/oidc/{key}/login/callback/"]}
            for key, (cid, secret) in CLIENTS.items()
        ],
        "users": [{**u, "password": PASSWORD} for u in USERS],
    }  # fmt: skip
    seed_path = folder / "oidc-seed.json"
    seed_path.write_text(json.dumps(seed), encoding="utf-8")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(OIDC_PROVIDER_DB=str(folder / "oidc-provider.sqlite3"), OIDC_PROVIDER_KEY=str(key_path))
    log = folder / "oidc-provider.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(seed_path), str(port)],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    provider = Provider(base=f"http://127.0.0.1:{port}", process=process, log=log, platu=platu_url)
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(provider.issuer + "/.well-known/openid-configuration", timeout=2).ok:
                return provider
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop(provider)
            raise RuntimeError("the test OIDC provider did not start:\n" + log.read_text(errors="replace"))
        time.sleep(0.2)


def stop(provider: Provider) -> None:
    provider.process.terminate()
    try:
        provider.process.wait(10)
    except subprocess.TimeoutExpired:  # pragma: no cover
        provider.process.kill()


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf(html: str) -> str:
    match = _CSRF.search(html)
    assert match, html[:2000]
    return match.group(1)


@dataclass
class Walk:
    """One sign-in walked through: every response on the way, and the last page."""

    responses: list[requests.Response] = field(default_factory=list)

    @property
    def page(self) -> requests.Response:
        return self.responses[-1]

    @property
    def text(self) -> str:
        return unescape(self.page.text)

    def visited(self, fragment: str) -> bool:
        return any(fragment in r.url for r in self.responses)


def start_sign_in(session: requests.Session, provider: Provider, which: str, username: str) -> Walk:
    """Press "Sign in with …" on Platu's log-in page and sign in at the provider; stop at the
    provider's redirect back to Platu (``walk.page`` is it, its Location the callback address)."""
    walk = Walk()
    login_page = session.get(provider.platu + "/accounts/login/")
    walk.responses.append(login_page)
    button = f'action="/accounts/oidc/{which}/login/"'
    assert button in login_page.text, login_page.text
    answer = session.post(
        provider.platu + f"/accounts/oidc/{which}/login/",
        data={"csrfmiddlewaretoken": csrf(login_page.text)},
    )
    walk.responses += [*answer.history, answer]
    assert answer.url.startswith(provider.base + "/login/"), answer.url  # the provider's own page
    answer = session.post(
        answer.url,
        data={"csrfmiddlewaretoken": csrf(answer.text), "username": username, "password": PASSWORD,
              "next": _next_of(answer.url)},
        allow_redirects=False,
    )  # fmt: skip
    walk.responses.append(answer)
    assert answer.status_code == 302, answer.text
    answer = session.get(urljoin(answer.url, answer.headers["Location"]), allow_redirects=False)
    walk.responses.append(answer)
    assert answer.status_code == 302 and answer.headers["Location"].startswith(provider.platu), answer.text
    return walk


def sign_in(session: requests.Session, provider: Provider, which: str, username: str) -> Walk:
    """The whole sign-in: back at Platu, every redirect followed."""
    walk = start_sign_in(session, provider, which, username)
    answer = session.get(walk.page.headers["Location"])
    walk.responses += [*answer.history, answer]
    return walk


def _next_of(url: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(url).query)["next"][0]
