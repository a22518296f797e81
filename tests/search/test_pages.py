"""The search page, suggestions, people and experts, the API, and the dictionary page."""

from __future__ import annotations

import datetime
import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from platu.accounts.models import ApiToken
from platu.knowledge import engage
from platu.knowledge.models import ReviewVote
from platu.search.models import IndexRun, SearchTerm
from tests.search.conftest import client_for


def page(client: Client, **params: str) -> str:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_what_the_user_may_read_with_words_marked(sw: SimpleNamespace) -> None:
    html = page(client_for(sw.member), q="ความรู้")
    assert "บันทึก<mark>การจัดการความรู้</mark>" in html or "<mark>ความรู้</mark>" in html
    assert f"/knowledge/{sw.long.pk}/?hl=" in html
    assert "สมุนไพร" not in page(client_for(sw.outsider), q="สมุนไพร").split("result-count")[1]
    html = page(client_for(sw.member), q="สมุนไพร")
    assert "<mark>สมุนไพร</mark>ในสวนโรงเรียน" in html and "บันทึกส่วนตัว" not in html


@pytest.mark.parametrize(
    "q", ["", "!!!", "x" * 10_000, 'ความรู้ "', "NEAR(ความรู้ โรงเรียน)", "title:ความรู้", "ความรู้*", "-ความรู้"]
)
def test_bad_input_never_breaks_the_page(sw: SimpleNamespace, q: str) -> None:
    response = client_for(sw.member).get("/search/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    if q in ("", "!!!"):
        assert 'role="status"' in html or not q
    if q == "-ความรู้":
        assert "อื่นนอกจากคำที่ไม่เอา" in html or "besides the excluded" in html
    assert q[:200] in html or len(q) > 500 or '"' in q  # what was typed stays in the box


def test_facet_links_filter_and_clear(sw: SimpleNamespace) -> None:
    client = client_for(sw.member)
    html = page(client, q="โรงเรียน")
    assert "kind=best_practice" in html
    html = page(client, q="โรงเรียน", kind="best_practice")
    assert "ในสวน<mark>โรงเรียน</mark>" in html and "บันทึกการจัด" not in html


def test_suggestions_offer_titles_people_and_tags(sw: SimpleNamespace) -> None:
    client = client_for(sw.member)
    html = client.get("/search/suggest/", {"q": "สมุน"}).content.decode()
    assert "<mark>สมุน</mark>ไพรในสวนโรงเรียน" in html or "สมุนไพรในสวนโรงเรียน" in html
    assert "บันทึกส่วนตัว" not in html
    html = client.get("/search/suggest/", {"q": "สมชาย"}).content.decode()
    assert "ใจดี" in html and reverse("person_detail", args=[sw.owner.pk]) in html
    html = client.get("/search/suggest/", {"q": "การอ่าน"}).content.decode()
    assert "#การอ่าน" in html
    assert client.get("/search/suggest/", {"q": ""}).status_code == 200


def test_people_by_name_in_any_order_and_position(sw: SimpleNamespace) -> None:
    from platu.search import registry, service

    people = registry.get("people")
    hits = service.search(people, sw.member.user, "ใจดี สมชาย").hits
    assert [h.obj for h in hits] == [sw.owner]
    hits = service.search(people, sw.member.user, "ผู้อำนวยการ").hits
    assert sw.owner in [h.obj for h in hits]
    hits = service.search(people, sw.outsider.user, "มานี").hits
    assert hits == []  # another organisation's staff


def test_expert_finder_ranks_by_what_people_did_and_declared(sw: SimpleNamespace) -> None:
    from platu.knowledge.experts import find_experts

    rev = sw.reviewers[0]
    ReviewVote.objects.create(item=sw.herbs, round=1, reviewer=rev, vote="approve")
    engage.report_applied(sw.herbs, acting_user=sw.owner.user, applied_on=datetime.date(2025, 11, 1), where="แปลงผักโรงเรียน",
                          outcome="นักเรียนปลูกสมุนไพรได้เอง")  # fmt: skip
    declared = sw.reviewers[1]
    declared.expertise = "สมุนไพร, การแพทย์แผนไทย"
    declared.save()
    _parsed, experts = find_experts(sw.member.user, "สมุนไพร")
    people = [e.person for e in experts]
    assert people[0] == sw.member  # wrote the only readable item about it
    assert {rev, declared, sw.owner} <= set(people)
    by_person = {e.person: e for e in experts}
    assert [ev.role for ev in by_person[rev].evidence] == ["reviewed"]
    assert by_person[declared].declared == ["สมุนไพร"]
    assert "applied" in {ev.role for ev in by_person[sw.owner].evidence}
    html = page(client_for(sw.member), q="สมุนไพร", tab="people")
    assert "ในสวนโรงเรียน" in html and declared.first_name in html
    _parsed, outsiders_view = find_experts(sw.outsider.user, "สมุนไพร")
    assert outsiders_view == []


def test_the_api_with_session_token_or_nothing(sw: SimpleNamespace) -> None:
    client = client_for(sw.member)
    data = client.get("/api/v1/search", {"q": "สมุนไพร", "limit": 5}).json()
    assert [r["id"] for r in data["results"]] == [sw.herbs.pk]
    row = data["results"][0]
    assert set(row) >= {"id", "external_id", "title", "score", "snippet"}
    assert "<mark>สมุนไพร</mark>" in row["snippet"]
    assert Client().get("/api/v1/search", {"q": "สมุนไพร"}).status_code == 401
    _token, key = ApiToken.issue(sw.outsider.user, "test")
    outsider = Client().get("/api/v1/search", {"q": "สมุนไพร"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert outsider.status_code == 200 and outsider.json()["results"] == []
    bad = Client().get("/api/v1/search", {"q": "x"}, HTTP_AUTHORIZATION="Bearer nonsense")
    assert bad.status_code == 401
    empty = client.get("/api/v1/search", {"q": "  "})
    assert empty.status_code == 400 and empty.json()["detail"]
    assert client.get("/api/v1/search", {"q": "สมุนไพร", "limit": "lots"}).status_code == 422
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_dictionary_page_by_role(sw: SimpleNamespace, django_capture_on_commit_callbacks: Any) -> None:
    url = f"/orgs/{sw.a.code}/dictionary/"
    assert client_for(sw.outsider).get(url).status_code == 404
    member = client_for(sw.member)
    assert member.get(url).status_code == 200
    assert member.post(url, {"action": "add", "terms": "ขุมความรู้"}).status_code == 403
    owner = client_for(sw.owner)  # the CEO administers the organisation
    response = owner.post(url, {"action": "add", "terms": "ขุมความรู้, คุณอำนวย"})
    assert response.status_code == 302
    assert set(SearchTerm.objects.filter(organisation=sw.a).values_list("term", flat=True)) == {
        "ขุมความรู้",
        "คุณอำนวย",
    }
    bad = owner.post(url, {"action": "add", "terms": "สอง คำ, ok!"})
    assert bad.status_code == 200 and "สอง คำ" in bad.content.decode()
    assert "not applied yet" in owner.get(url).content.decode() or "ยังไม่" in owner.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(url, {"action": "apply"})
    assert IndexRun.objects.filter(finished_at__isnull=False).exists()


def test_import_and_search_commands(sw: SimpleNamespace, tmp_path: Any, capsys: Any) -> None:
    source = tmp_path / "items.jsonl"
    lines = [
        {"title": "ถอดบทเรียนแปลงผักปลอดสาร", "body": "ปลูกผักบุ้งในกระถางปี 2568", "external_id": "ext-1",
         "tags": ["เกษตร"], "type": "lesson"},
        "not json",
        {"title": "", "body": "ไม่มีชื่อ"},
        {"title": "<b>ตัวหนา</b>การเลี้ยงปลาดุก", "body": "<p>เลี้ยงปลาดุกในบ่อซีเมนต์</p>", "external_id": "ext-2",
         "type": "nonsense"},
        {"title": "การเลี้ยงปลาดุก", "body": "<p>เลี้ยงปลาดุกในบ่อซีเมนต์</p>", "external_id": "ext-3"},
    ]  # fmt: skip
    source.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
    )
    call_command("platu_import", str(source), org=sw.a.code, publish=True, visibility="organisation")
    out = capsys.readouterr()
    assert "2 created, 0 updated, 0 unchanged, 3 skipped" in out.out
    assert "line 2:" in out.err and "line 3:" in out.err and "line 4:" in out.err
    call_command("platu_search", "ผักบุ้ง", org=sw.a.code, username="member", json=True)
    rows = json.loads(capsys.readouterr().out)
    assert [(r["external_id"], r["title"]) for r in rows] == [("ext-1", "ถอดบทเรียนแปลงผักปลอดสาร")]
    # Again, with an edit: updated in place, not duplicated.
    lines[0]["body"] = "ปลูกผักกาดในกระถาง"  # type: ignore[index]
    source.write_text(
        json.dumps(lines[0], ensure_ascii=False) + "\n" + json.dumps(lines[4], ensure_ascii=False)
    )
    call_command("platu_import", str(source), org=sw.a.code, publish=True)
    assert "0 created, 1 updated, 1 unchanged, 0 skipped" in capsys.readouterr().out
    queries = tmp_path / "queries.txt"
    queries.write_text("ผักกาด\nผักบุ้ง\nปลาดุก\n")
    call_command("platu_search", queries=str(queries), org=sw.a.code, username="member")
    out_lines = capsys.readouterr().out.strip().splitlines()
    assert [[r["external_id"] for r in json.loads(line)] for line in out_lines] == [["ext-1"], [], ["ext-3"]]
    call_command("platu_search", "ผักกาด", org=sw.a.code, anonymous=True)
    assert json.loads(capsys.readouterr().out) == []  # organisation visibility: not for visitors


def test_long_questions_are_answered_and_trimmed_with_a_message(sw: SimpleNamespace) -> None:
    """A question of 450 Thai characters is searched (the box allows 500; the server's request
    line allows it: make run sets gunicorn's limit); a longer one is cut with a notice."""
    client = client_for(sw.member)
    question = ("ครูต้องทำอย่างไรเมื่อนักเรียนอ่านไม่ออก" * 12)[:450]
    page = client.get("/search/", {"q": question})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'maxlength="500"' in html
    longer = client.get("/search/", {"q": question * 2})
    assert longer.status_code == 200
    assert "500" in longer.content.decode()  # "Only the first 500 characters were used."
    api = client.get("/api/v1/search", {"q": question * 2})
    assert api.status_code == 200 and api.json()["query"] == (question * 2)[:500]


def test_the_tabs_count_what_each_kind_finds_and_plans_are_found_by_their_activities(
    sw: SimpleNamespace,
) -> None:
    from platu.planning.models import Activity, Plan

    plan = Plan.objects.create(organisation=sw.a, fiscal_year=2570)
    Activity.objects.create(plan=plan, name="จัดวงแลกเปลี่ยนเรียนรู้เรื่องสมุนไพรไล่ยุง")
    html = client_for(sw.member).get("/search/", {"q": "สมุนไพร", "tab": "plans"}).content.decode()
    for key in ("items", "people", "orgs", "plans"):
        assert f'data-tab="{key}"' in html
    assert plan.get_absolute_url() in html and "<mark>สมุนไพร</mark>" in html
    # Another organisation's member sees neither the plan nor its count.
    other = client_for(sw.outsider).get("/search/", {"q": "สมุนไพร", "tab": "plans"}).content.decode()
    assert plan.get_absolute_url() not in other


def test_dictionary_changes_go_through_actions_with_audit_rows(sw: SimpleNamespace) -> None:
    from platu.audit.models import AuditEntry

    url = f"/orgs/{sw.a.code}/dictionary/"
    owner = client_for(sw.owner)
    owner.post(url, {"action": "add", "terms": "ขุมความรู้"})
    term = SearchTerm.objects.get(organisation=sw.a, term="ขุมความรู้")
    for bad in ("abc", "9" * 25, "", str(term.pk + 1000)):
        response = owner.post(url, {"action": "delete", "term": bad}, follow=True)
        assert response.status_code == 200 and SearchTerm.objects.filter(pk=term.pk).exists()
    owner.post(url, {"action": "delete", "term": str(term.pk)})
    assert not SearchTerm.objects.filter(pk=term.pk).exists()
    actions = list(AuditEntry.objects.filter(organisation=sw.a).values_list("action", flat=True))
    assert "search.terms" in actions and "search.term_removed" in actions


def test_an_imported_item_published_leaves_an_audit_row(sw: SimpleNamespace, tmp_path: Any) -> None:
    from platu.audit.models import AuditEntry
    from platu.knowledge.models import Item

    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"title": "การเลี้ยงไก่ไข่", "body": "เลี้ยงไก่ไข่อินทรีย์", "external_id": "x-9"},
                                 ensure_ascii=False))  # fmt: skip
    call_command("platu_import", str(source), org=sw.a.code, publish=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    item = Item.objects.get(external_id="x-9")
    assert item.state == Item.State.PUBLISHED and item.review_due is not None
    entry = AuditEntry.objects.get(action="knowledge.publish", object_id=str(item.pk))
    assert entry.data == {"via": "import"}
