"""Entering an activity's progress through the API: the same action, audit row and version check
as the entry's page."""

from __future__ import annotations

from types import SimpleNamespace

from django.test import Client

from platu.accounts import tokens
from platu.audit.models import AuditEntry
from platu.tracking.models import Entry
from tests.planning.conftest import client_for
from tests.planning.conftest import pw as pw
from tests.tracking.conftest import tw as tw
from tests.tracking.test_rounds import _data, _entry_url, _open

API = "/api/v1"


def writer(person: object) -> Client:
    user = person.user  # type: ignore[attr-defined]
    _token, key = tokens.issue(user, "t", scopes=("read", "write"), days=1, acting_user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_progress_through_the_api_is_the_page_s(tw: SimpleNamespace) -> None:
    _open(tw)
    entry = Entry.objects.get(activity=tw.act1)
    other = Entry.objects.get(activity=tw.act2)
    # The page.
    assert client_for(tw.lead).post(_entry_url(tw, other), _data(other, percent="30")).status_code == 302
    # The API.
    api = writer(tw.teacher)
    url = f"{API}/rounds/{tw.a.code}/2569/6/entries/{entry.pk}"
    saved = api.put(url, {"status": "in_progress", "percent": 40, "result_text": "ครึ่งทาง"},
                    content_type="application/json", HTTP_IF_MATCH=f'"{entry.version}"')  # fmt: skip
    assert saved.status_code == 200, saved.content
    assert saved.json()["percent"] == 40 and saved.json()["version"] == entry.version + 1
    stale = api.put(url, {"percent": 50, "version": entry.version}, content_type="application/json")
    assert stale.status_code == 409
    assert (
        api.put(
            url, {"percent": 500, "version": entry.version + 1}, content_type="application/json"
        ).status_code
        == 400
    )
    rows = list(AuditEntry.objects.filter(action="tracking.entry").order_by("pk"))
    assert [(r.object_type, r.organisation_id) for r in rows] == [("tracking.round", tw.a.pk)] * 2
    assert rows[1].actor == tw.teacher.user
    # Someone not responsible for the activity may not; another organisation does not see it.
    other_url = f"{API}/rounds/{tw.a.code}/2569/6/entries/{other.pk}"
    assert (
        api.put(
            other_url, {"percent": 10, "version": other.version + 1}, content_type="application/json"
        ).status_code
        == 403
    )
    listed = api.get(f"{API}/rounds/{tw.a.code}/2569/6").json()
    assert {e["percent"] for e in listed["entry_list"]} == {40, 30}
