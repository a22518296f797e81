"""No input makes Platu answer 500: every form of every page, each field in turn filled with
garbage (words for numbers, numbers beyond any database integer, nothing, 100 kB), posted by a
member with the rights to use the form; and every URL that takes a POST, with every field name the
site uses filled with garbage at once.

The URLs come from the URL resolver (a new view is covered without touching this file); the forms
and their fields from the HTML of the pages. Each POST runs in a savepoint that is rolled back, so
a garbage post that deletes a team or logs out leaves the next post the same world.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from platu.knowledge import actions as knowledge_actions
from platu.knowledge.models import Category
from platu.orgs.models import Membership, TeamMember
from platu.planning.pages import PAGES
from platu.search.models import SearchTerm
from tests.knowledge.conftest import kw, make_item, publish  # noqa: F401 - fixtures
from tests.planning.conftest import pw  # noqa: F401 - fixture

GARBAGE = ["abc", "9" * 25, "", "x" * 100_000, "-1", "²"]  # "²".isdigit(), but int("²") fails
# One field at a time: the kinds that break parsing and storage; the empty and negative values
# are posted to every field at once below (each post renders a whole page: this keeps CI short).
FIELD_GARBAGE = ["abc", "9" * 25, "x" * 100_000, "²"]

# Not Platu's forms (the Django admin, the API), files rather than pages, and allauth's URLs that
# need a key from an e-mail.
SKIPPED_PREFIXES = ("admin/", "api/", "media/", "favicon.ico")
SKIPPED_NAMES = {
    "account_confirm_email",
    "account_reset_password_from_key",
    "mfa_download_recovery_codes",
    "team_document",
    "teams_document",
    "planning:export",
    "knowledge:download",
    "knowledge:evidence",
}


# -- the pages' forms --------------------------------------------------------------------------


class Form(SimpleNamespace):
    action: str
    fields: dict[str, str]  # name -> the value the page would send
    buttons: list[tuple[str, str]]


class FormParser(HTMLParser):
    """Forms posted by the page: fields with the values a browser would send untouched."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            action = attrs.get("hx-post") or attrs.get("action") or ""
            if method == "post" or attrs.get("hx-post"):
                self.form = Form(action=urljoin(self.url, action), fields={}, buttons=[])
                self.forms.append(self.form)
                if attrs.get("data-autosave"):
                    self.forms.append(
                        Form(
                            action=urljoin(self.url, attrs["data-autosave"]),
                            fields=self.form.fields,
                            buttons=[],
                        )
                    )
            return
        if attrs.get("hx-post") and tag != "form":  # a control that posts itself
            self.forms.append(
                Form(
                    action=urljoin(self.url, attrs["hx-post"]),
                    fields={attrs.get("name", "x"): ""},
                    buttons=[],
                )
            )
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "image", "button", "reset"}:
                self.form.buttons.append((name, attrs.get("value", "")))
            elif kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.form.fields[name] = attrs.get("value", "on")
                else:
                    self.form.fields.setdefault(name, "")
            else:
                self.form.fields[name] = attrs.get("value", "")
        elif tag == "button" and name:
            self.form.buttons.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self.select = name
            self.form.fields.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.form.fields[self.select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.form.fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self.form is not None and self.textarea:
            self.form.fields[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


# -- the site's URLs ---------------------------------------------------------------------------


def patterns(
    resolver: URLResolver | None = None, prefix: str = "", ns: str = ""
) -> Iterator[tuple[str, str]]:
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from patterns(p, prefix + str(p.pattern), p.namespace or ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (f"{ns}:" if ns else "") + (p.name or "")


def urls_for(route: str, name: str, values: dict[str, list[str]]) -> list[str]:
    """Every URL of a route with its parameters filled from `values` (by name, or URL name first)."""
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    choices = []
    for param in params:
        options = values.get(f"{name}.{param}") or values.get(param)
        if not options:
            return []
        choices.append(options)
    urls = []
    for combo in itertools.product(*choices):
        url = route
        for param, value in zip(params, combo, strict=True):
            url = re.sub(rf"<(?:\w+:)?{param}>", str(value), url, count=1)
        urls.append("/" + url)
    return urls


@pytest.fixture
def site(pw: SimpleNamespace, kw: SimpleNamespace) -> SimpleNamespace:  # noqa: F811 - fixtures
    w = pw
    draft = make_item(w.owner, w.a, title="ร่างเรื่องเล่า")
    knowledge_actions.update_item(draft, acting_user=w.owner.user, base_revision=draft.revision_no,
                                  title="ร่างเรื่องเล่า ฉบับสอง", body="<p>แก้ไขแล้ว</p>")  # fmt: skip
    published = publish(make_item(w.owner, w.a, title="เรื่องที่เผยแพร่แล้ว"), w)
    category = Category.objects.create(organisation=w.a, name="การสอนอ่าน")
    SearchTerm.objects.create(organisation=w.a, term="คุณอำนวย", added_by=w.owner.user)
    membership = Membership.objects.get(person=w.member, organisation=w.a)
    team_member = TeamMember.objects.get(team=w.team, person=w.owner)
    w.values = {
        "code": [w.a.code],
        "name": ["communities"],
        "knowledge:transition.name": ["submit", "publish", "archive"],
        "planning:transition.name": ["submit", "approve", "return"],
        "pk": ["1"],
        "member_edit.pk": [membership.pk],
        "member_remove.pk": [membership.pk],
        "person_detail.pk": [w.member.pk],
        "person_edit.pk": [w.owner.pk],
        "member_pk": [team_member.pk],
        "number": [1],
        "uid": ["00000000-0000-0000-0000-000000000000"],
        "year": [w.plan.fiscal_year],
        "key": ["kpis", "activities"],
        "sheet": [2, 4],
        "page": list(PAGES),
        "fmt": ["pdf"],
        "knowledge:category_edit.pk": [category.pk],
    }
    for _route, name in patterns():
        if name.startswith("knowledge:") and name != "knowledge:category_edit":
            w.values[f"{name}.pk"] = [draft.pk, published.pk]
        elif name.startswith("team_"):
            w.values[f"{name}.pk"] = [w.team.pk]
    return w


def post(client: Client, user: Any, url: str, data: dict[str, str]) -> int:
    with transaction.atomic():
        client.force_login(user)
        status = client.post(url, data).status_code
        transaction.set_rollback(True)
    return status


def failures(site: SimpleNamespace, *, planning: bool) -> list[str]:
    users = [site.lead.user] if planning else [site.owner.user]  # the KM lead writes the plan
    found: list[str] = []
    for user in users:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        forms: list[Form] = []
        post_urls: list[str] = []
        for route, name in patterns():
            if route.startswith(SKIPPED_PREFIXES) or name in SKIPPED_NAMES:
                continue
            if name.startswith("planning:") != planning:
                continue
            for url in urls_for(route, name, site.values):
                post_urls.append(url)
                response = client.get(url)
                if response.status_code >= 500:
                    found.append(f"GET {url}: {response.status_code}")
                if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                    parser = FormParser(url)
                    parser.feed(response.content.decode())
                    forms += [f for f in parser.forms if urlsplit(f.action).netloc in {"", "testserver"}]
        # Every field of every form, one at a time, with each kind of garbage.
        seen: set[tuple[str, str, str]] = set()
        all_names: set[str] = set()
        for form in forms:
            path = urlsplit(form.action).path
            base = dict(form.fields)  # submitted with its unnamed button, or by Enter
            names = [n for n in base if n != "csrfmiddlewaretoken"] + [b for b, _v in form.buttons]
            all_names.update(names)
            for field, junk in itertools.product(names, FIELD_GARBAGE):
                key = (path, re.sub(r"-\d+-", "-N-", field), junk)  # one row of a formset stands for all
                if key in seen:
                    continue
                seen.add(key)
                status = post(client, user, path, {**base, field: junk})
                if status >= 500:
                    found.append(f"POST {path} {field}={junk[:30]!r}: {status}")
        # Every URL that takes a POST, every name at once (100 kB in each would only be too big).
        for url, junk in itertools.product(dict.fromkeys(post_urls), [g for g in GARBAGE if len(g) < 100]):
            status = post(client, user, url, dict.fromkeys(all_names, junk))
            if status >= 500:
                found.append(f"POST {url} (every field)={junk[:30]!r}: {status}")
    return found


def test_no_garbage_makes_a_500(site: SimpleNamespace) -> None:
    found = failures(site, planning=False)
    assert not found, "\n".join(found)


def test_no_garbage_makes_a_500_in_planning(site: SimpleNamespace) -> None:
    found = failures(site, planning=True)
    assert not found, "\n".join(found)
