"""A Content-Security-Policy on every page, and no script in a page that it would not allow: every
page of the site (from the URL resolver), as a member with rights and as a visitor."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from types import SimpleNamespace

from django.test import Client

from tests.core.test_garbage_input import (  # noqa: F401 - fixtures
    SKIPPED_NAMES,
    SKIPPED_PREFIXES,
    kw,
    patterns,
    pw,
    site,
    urls_for,
)


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


class ScriptFinder(HTMLParser):
    """Inline code the policy must cover: <script> without src, on* handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self.nonces: list[str] = []

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        for name, value in attrs.items():
            if name.startswith("on"):
                self.inline.append(f"<{tag} {name}=…>")
            if name in {"href", "src", "action", "formaction"} and value.strip().lower().startswith(
                "javascript:"
            ):
                self.inline.append(f"<{tag} {name}=javascript:…>")
        if tag == "script" and not attrs.get("src"):
            if attrs.get("type", "").lower() in {"application/json", "application/ld+json"}:
                return  # data, never run
            if attrs.get("nonce"):
                self.nonces.append(attrs["nonce"])
            else:
                self.inline.append("<script> without a nonce")


def check(client: Client, url: str) -> list[str]:
    response = client.get(url)
    if response.status_code >= 500:
        return [f"{url}: {response.status_code}"]
    if "html" not in response.get("Content-Type", ""):
        return []
    problems = []
    header = response.get("Content-Security-Policy", "")
    policy = directives(header)
    if not header:
        problems.append(f"{url}: no Content-Security-Policy")
    elif "'unsafe-inline'" in policy.get("script-src", []) or "'unsafe-eval'" in policy.get("script-src", []):
        problems.append(f"{url}: scripts allowed inline: {header}")
    finder = ScriptFinder()
    finder.feed(response.content.decode())
    problems += [f"{url}: {found}" for found in finder.inline]
    for nonce in finder.nonces:
        if f"'nonce-{nonce}'" not in policy.get("script-src", []):
            problems.append(f"{url}: a script's nonce is not the header's")
    return problems


def every_page(site: SimpleNamespace) -> list[str]:  # noqa: F811 - the fixture
    urls = []
    for route, name in patterns():
        if route.startswith(SKIPPED_PREFIXES) or name in SKIPPED_NAMES:
            continue
        urls += urls_for(route, name, site.values)
    return [*urls, "/api/v1/docs"]


def test_every_page_has_the_policy_and_no_inline_script(site: SimpleNamespace) -> None:  # noqa: F811
    problems: list[str] = []
    for user in [site.owner.user, site.lead.user]:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for url in every_page(site):
            problems += check(client, url)
    visitor = Client(raise_request_exception=False)
    for url in [
        "/",
        "/accounts/login/",
        "/accounts/password/reset/",
        f"/public/{site.a.code}/",
        "/api/v1/docs",
    ]:
        problems += check(visitor, url)
    assert not problems, "\n".join(problems)


def test_the_policy_allows_only_platu_and_the_video_hosts(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.owner.user)
    policy = directives(client.get("/").headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # a nonce only when a page asks for one
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert set(policy["frame-src"]) == {"https://www.youtube-nocookie.com", "https://player.vimeo.com"}
    for values in policy.values():
        assert not any(
            re.match(r"https?://(?!www\.youtube-nocookie\.com|player\.vimeo\.com)", v) for v in values
        )


def test_a_file_keeps_its_own_stricter_policy(client: Client, world: SimpleNamespace) -> None:
    from tests.core.test_media import upload_logo

    url = upload_logo(client, world)
    assert client.get(url)["Content-Security-Policy"] == "default-src 'none'; sandbox"
