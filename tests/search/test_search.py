"""Knowledge search, run as one suite on SQLite (FTS5) and on PostgreSQL (tsvector): make test
runs every test file on both."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from platu.knowledge import workflow
from platu.knowledge.models import Item
from platu.knowledge.search import ITEM_INDEX, search_items
from platu.search import pending, service
from platu.search.backends import get_backend
from platu.search.indexer import reindex_all
from platu.search.models import SearchTerm
from platu.search.query import parse
from tests.search.conftest import ids, make_item, publish, set_state


def find(person: object, text: str, **filters: str) -> service.Results:
    user = getattr(person, "user", person)
    return search_items(user, text, filters)


@pytest.mark.parametrize(
    "word", ["ความรู้", "องค์กร", "โรงเรียน", "ใน", "ดู", "ครู", "google", "GOOGLE", "Drive", "2568", "๒๕๖๘"]
)
def test_a_word_inside_a_long_unspaced_run_is_found(sw: SimpleNamespace, word: str) -> None:
    results = find(sw.member, word)
    assert sw.long.pk in ids(results)
    assert results.mode == service.MODE_ALL


def test_the_part_of_a_compound_is_found(sw: SimpleNamespace) -> None:
    # The text has มีความรู้ (one dictionary word); its part ความรู้ is indexed too.
    item = set_state(make_item(sw.owner, sw.a, title="บันทึกสั้น", body="<p>ครูทุกคนมีความรู้เรื่องนี้</p>"), "published")
    assert item.pk in ids(find(sw.member, "ความรู้"))
    assert item.pk in ids(find(sw.member, "มีความรู้"))


def test_phrases_and_exclusions(sw: SimpleNamespace) -> None:
    assert ids(find(sw.member, '"จัดการความรู้ในองค์กร"')) == {sw.long.pk}
    assert ids(find(sw.member, '"องค์กรในความรู้"')) == set()  # same words, wrong order
    assert sw.herbs.pk in ids(find(sw.member, "นักเรียน"))
    assert sw.herbs.pk not in ids(find(sw.member, "นักเรียน -สมุนไพร"))
    assert ids(find(sw.member, 'โรงเรียน -"สวนโรงเรียน"')) == {sw.long.pk}


def test_all_words_first_then_any_word_without_stopwords(sw: SimpleNamespace) -> None:
    both = find(sw.member, "สมุนไพร ความรู้")
    assert both.mode == service.MODE_ANY  # no item has both
    assert {sw.long.pk, sw.herbs.pk} <= ids(both)
    assert "ครบทุกคำ" in both.message
    compiled = parse("และ สมุนไพร").fts5(any_word=True)
    assert '"และ"' not in compiled and '"สมุนไพร"' in compiled
    assert '"และ"' in parse("และ สมุนไพร").fts5()


def test_substring_fallback_finds_text_across_word_boundaries(sw: SimpleNamespace) -> None:
    # "oogle" is no word of any item; only the substring search finds it.
    results = find(sw.member, "oogle")
    assert results.mode == service.MODE_SUBSTRING
    assert ids(results) == {sw.long.pk}
    assert "<mark>oogle</mark>" in results.hits[0].snippet


def test_an_added_term_becomes_findable_after_reindex(sw: SimpleNamespace) -> None:
    item = set_state(make_item(sw.owner, sw.a, title="กิจกรรม", body="<p>ทีมของใจดีมีสุขมาแล้ว</p>"), "published")
    before = find(sw.member, "ใจดีมีสุข")
    assert not (before.mode == service.MODE_ALL and item.pk in ids(before))
    SearchTerm.objects.create(organisation=sw.a, term="ใจดีมีสุข")
    reindex_all()
    after = find(sw.member, "ใจดีมีสุข")
    assert after.mode == service.MODE_ALL
    assert item.pk in ids(after)
    assert item.pk in ids(find(sw.member, '"ใจดีมีสุข"'))


def test_outsiders_never_see_private_or_unpublished_items_nor_count_them(sw: SimpleNamespace) -> None:
    outsider = find(sw.outsider, "สมุนไพร")
    assert outsider.total == 0 and outsider.hits == []
    assert all(not values for values in outsider.facets.values())
    member = find(sw.member, "สมุนไพร")
    assert ids(member) == {sw.herbs.pk}  # not the owner's private note, not the draft
    assert member.total == 1
    assert sum(f.count for f in member.facets["kind"]) == 1
    assert "state" not in member.facets
    # Authors find their own items in every state (the draft too), with the state filter.
    owner = find(sw.owner, "สมุนไพร")
    assert ids(owner) == {sw.herbs.pk, sw.private.pk, sw.draft.pk}
    assert {f.value for f in owner.facets["state"]} == {"published", "draft"}
    assert ids(find(sw.owner, "สมุนไพร", state="draft")) == {sw.draft.pk}
    assert ids(find(sw.member, "สมุนไพร", state="draft")) == set()
    assert ids(find(AnonymousUser(), "สมุนไพร")) == set()


def test_publish_found_unpublish_and_delete_gone_reindex_same(sw: SimpleNamespace) -> None:
    item = make_item(sw.owner, sw.a, title="การเลี้ยงไส้เดือนดิน", body="<p>ไส้เดือนช่วยทำปุ๋ย</p>")
    assert ids(find(sw.member, "ไส้เดือน")) == set()
    publish(item, sw)
    assert ids(find(sw.member, "ไส้เดือน")) == {item.pk}
    before = [h.obj.pk for h in find(sw.member, "โรงเรียน").hits]
    reindex_all()
    assert [h.obj.pk for h in find(sw.member, "โรงเรียน").hits] == before
    workflow.archive(item, acting_user=sw.owner.user)
    assert ids(find(sw.member, "ไส้เดือน")) == set()
    item.delete()
    assert item.pk not in get_backend().ids(ITEM_INDEX.table)


def _stored_rows() -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT rowid, title, summary, body, files, parts FROM search_item ORDER BY rowid")
        else:
            cursor.execute("SELECT rowid, vector::text, raw FROM search_item ORDER BY rowid")
        return list(cursor.fetchall())


def test_a_rebuild_in_many_batches_writes_every_row_once(
    sw: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    # Batches of two: worker processes segment them, with the organisation's own terms, while
    # this process reads the next batch and writes the last one; the index holds exactly what
    # segmenting in this process gives.
    from platu.search import indexer

    for n in range(7):
        set_state(make_item(sw.owner, sw.a, title=f"ชุดที่ {n} การเลี้ยงปลานิล", body="<p>บ่อปลา</p>"), "published")
    pond = set_state(make_item(sw.owner, sw.a, title="บ่อดินของบ้านปลาดุกทอง", body="<p>ปลา</p>"), "published")
    SearchTerm.objects.create(organisation=sw.a, term="ปลาดุกทอง")
    before = {w: [h.obj.pk for h in find(sw.member, w).hits] for w in ("ปลานิล", "โรงเรียน", "สมุนไพร")}
    monkeypatch.setattr(indexer, "BATCH", 2)
    settings.PLATU_INDEX_WORKERS = 0
    reindex_all()
    in_process = _stored_rows()
    settings.PLATU_INDEX_WORKERS = 2
    result = reindex_all()
    assert _stored_rows() == in_process
    assert result["items"] == Item.objects.count() >= 12
    assert get_backend().ids(ITEM_INDEX.table) == set(Item.objects.values_list("pk", flat=True))
    assert {w: [h.obj.pk for h in find(sw.member, w).hits] for w in before} == before
    assert len(before["ปลานิล"]) == 7
    term = find(sw.member, "ปลาดุกทอง")
    assert term.mode == service.MODE_ALL and ids(term) == {pond.pk}


def _index_shape() -> int:
    """SQLite: how many FTS5 segments the items index has. PostgreSQL: the planner's row count
    (what the last ANALYZE saw; -1 before any)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT COUNT(DISTINCT segid) FROM search_item_idx")
        else:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'search_item'")
        return int(cursor.fetchone()[0])


def test_a_rebuild_leaves_a_compact_index_with_fresh_statistics(sw: SimpleNamespace) -> None:
    # Each item saved on its own writes its own small segment (SQLite). PostgreSQL's ANALYZE
    # writes pg_class outside transactions, so an earlier test may have left any count there:
    # add items until the table holds a number the statistics do not say yet.
    before = _index_shape()
    n = 0
    while n < 3 or Item.objects.count() == before:
        set_state(make_item(sw.owner, sw.a, title=f"เรื่องที่ {n}", body="<p>ปลานิล</p>"), "published")
        pending.flush()  # as each commit does
        n += 1
    before = _index_shape()
    reindex_all()
    after = _index_shape()
    if connection.vendor == "sqlite":
        assert before > 1 and after == 1
    else:
        assert before != Item.objects.count() and after == Item.objects.count()


def test_editing_reindexes_at_once(sw: SimpleNamespace) -> None:
    from platu.knowledge import actions

    actions.update_item(sw.herbs, acting_user=sw.member.user, base_revision=None,
                        title="สมุนไพรและผักสวนครัว", body="<p>ตะไคร้กับใบกะเพรา</p>")  # fmt: skip
    set_state(sw.herbs, "published")
    assert ids(find(sw.member, "ตะไคร้")) == {sw.herbs.pk}
    assert ids(find(sw.member, "ปลูก")) == set()


def test_tags_and_category_are_searchable(sw: SimpleNamespace) -> None:
    assert sw.long.pk in ids(find(sw.member, "ชุมชน"))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x" * 10_000,
        "ก" * 10_000,
        "!!! ??? ...",
        '"',
        "*",
        "NEAR",
        ":",
        "(",
        '"ความรู้',
        "-",
        "- -x",
        "(ความรู้ OR",
    ],
)
def test_bad_input_gives_a_message_or_sane_results(sw: SimpleNamespace, text: str) -> None:
    results = find(sw.member, text)
    assert results.parsed.error or results.total >= 0
    if not text.strip() or not any(c.isalnum() for c in text):
        assert results.parsed.error


def test_facets_and_filters(sw: SimpleNamespace) -> None:
    results = find(sw.member, "โรงเรียน")
    kinds = {f.value: f.count for f in results.facets["kind"]}
    assert kinds == {"story": 1, "best_practice": 1}
    assert {f.value for f in results.facets["org"]} == {"org-a"}
    fy = results.facets["fy"][0].value
    assert int(fy) > 2560
    assert ids(find(sw.member, "โรงเรียน", kind="best_practice")) == {sw.herbs.pk}
    assert ids(find(sw.member, "โรงเรียน", tag="การอ่าน")) == {sw.long.pk}
    assert ids(find(sw.member, "โรงเรียน", fy=fy)) == {sw.long.pk, sw.herbs.pk}
    assert ids(find(sw.member, "โรงเรียน", fy=str(int(fy) - 5))) == set()
    assert ids(find(sw.member, "โรงเรียน", org="org-b")) == set()


@pytest.mark.parametrize(
    "bad",
    [{"category": "nonsense"}, {"category": "9" * 40}, {"community": "-1"}, {"fy": "99999"}, {"fy": "2399"}],
)
def test_bad_filters_find_nothing_and_say_why(sw: SimpleNamespace, bad: dict[str, str]) -> None:
    results = find(sw.member, "โรงเรียน", **bad)
    assert results.hits == [] and results.total == 0
    assert results.message  # in the user's language: which filter is wrong


def test_the_state_filter_stays_when_nothing_matched(sw: SimpleNamespace) -> None:
    results = find(sw.owner, "สมุนไพร", state="archived")
    assert results.hits == []
    [chosen] = [f for f in results.facets["state"] if f.selected]
    assert chosen.value == "archived" and chosen.count == 0


def test_snippets_mark_the_words_on_the_original_text(sw: SimpleNamespace) -> None:
    hit = next(h for h in find(sw.member, "ความรู้ google").hits if h.obj.pk == sw.long.pk)
    assert "<mark>ความรู้</mark>" in hit.snippet
    assert "<mark>Google</mark>" in hit.snippet  # the original case
    assert "<mark>ความรู้</mark>" in hit.title


def test_the_index_is_the_vendors(db: None) -> None:
    assert get_backend().vendor == connection.vendor
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'search_item'")
            defs = " ".join(row[0] for row in cursor.fetchall())
            assert "gin (vector)" in defs and "gin_trgm_ops" in defs
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_item'")
            assert "categories 'L* N* Co M*'" in cursor.fetchone()[0]


def test_items_of_all_states_are_indexed_but_only_live_ones_found(sw: SimpleNamespace) -> None:
    pending.flush()
    indexed = get_backend().ids(ITEM_INDEX.table)
    assert {sw.long.pk, sw.herbs.pk, sw.private.pk, sw.draft.pk} <= indexed
    assert Item.objects.count() == len(indexed)


def test_every_match_is_ranked_however_old_and_counts_stop_at_the_cap(
    sw: SimpleNamespace, settings: object
) -> None:
    """The best match is found however many newer items match (no window of the most recent)."""
    import datetime as dt

    from django.utils import timezone

    best = set_state(
        make_item(sw.owner, sw.a, title="โรงเรียนปลอดขยะ", body="<p>โรงเรียนปลอดขยะ</p>"), "published"
    )
    Item.objects.filter(pk=best.pk).update(published_at=timezone.now() - dt.timedelta(days=3000))
    newer = [
        set_state(make_item(sw.owner, sw.a, title=f"บันทึกที่ {n}", body="<p>โรงเรียน ขยะ</p>"), "published")
        for n in range(4)
    ]
    results = find(sw.member, "โรงเรียน ปลอด ขยะ")
    assert results.hits[0].obj.pk == best.pk
    settings.PLATU_SEARCH_COUNT_MAX = 2  # type: ignore[attr-defined]
    capped = find(sw.member, "โรงเรียน")
    assert capped.more and capped.total == 2 and len(capped.hits) == 7  # all ranked, the count capped
    assert {i.pk for i in newer} <= ids(capped)
    settings.PLATU_SEARCH_COUNT_MAX = 10_000  # type: ignore[attr-defined]
    everything = find(sw.member, "โรงเรียน")
    assert not everything.more and everything.total == 7


def test_ranking_title_first_then_the_most_recent_and_pages(sw: SimpleNamespace) -> None:
    import datetime as dt

    from django.utils import timezone

    body = set_state(
        make_item(sw.owner, sw.a, title="บันทึกประจำสัปดาห์", body="<p>เราลองเลี้ยงไก่ไข่ในโรงเรือน</p>"), "published"
    )
    titled = set_state(make_item(sw.owner, sw.a, title="เลี้ยงไก่ไข่", body="<p>บันทึกสั้น</p>"), "published")
    twins = [
        set_state(make_item(sw.owner, sw.a, title="ไก่ไข่", body="<p>บันทึกสั้น</p>"), "published")
        for _ in range(2)
    ]
    # The same text scores the same: the one published later comes first, whatever its id.
    Item.objects.filter(pk=twins[1].pk).update(published_at=timezone.now() - dt.timedelta(days=30))
    order = [h.obj.pk for h in find(sw.member, "ไก่ไข่").hits]
    assert order[-1] == body.pk  # only in the body: last
    assert order.index(twins[0].pk) < order.index(twins[1].pk)
    assert set(order) == {body.pk, titled.pk, *[t.pk for t in twins]}
    second = search_items(sw.member.user, "ไก่ไข่", offset=2, limit=2)
    assert [h.obj.pk for h in second.hits] == order[2:] and second.total == 4


def test_a_user_who_sees_few_of_many_matches_still_gets_them_ranked(
    sw: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index's best candidates are mostly another organisation's: the search reads more of
    them, then ranks in the joined query, and never answers with fewer than the user may see."""
    monkeypatch.setattr(service, "BEST_MAX", 150)
    for n in range(120):
        set_state(
            make_item(sw.outsider, sw.b, title=f"ปุ๋ยหมักสูตรที่ {n}", body="<p>ปุ๋ยหมัก ปุ๋ยหมัก</p>"), "published"
        )
    ours = set_state(make_item(sw.owner, sw.a, title="บันทึกการทำปุ๋ยหมัก", body="<p>ปุ๋ยหมักใบไม้</p>"), "published")
    results = find(sw.member, "ปุ๋ยหมัก")
    assert ids(results) == {ours.pk} and results.total == 1


def test_a_member_of_no_organisation_searches_every_tab_without_error(db: None) -> None:
    """Visibility rules with an empty list (no memberships) make an empty match, not a 500."""
    from django.test import Client

    from platu.accounts.models import User

    lonely = User.objects.create_user("lonely", "lonely@example.go.th", "pw-ปลาทู-2569")
    client = Client()
    client.force_login(lonely)
    for tab in ("items", "people", "orgs", "plans"):
        page = client.get("/search/", {"q": "ครูต้องทำอย่างไรเมื่อนักเรียนอ่านไม่ออก", "tab": tab})
        assert page.status_code == 200
    assert client.get("/search/", {"q": "ปลา", "page": "500"}).status_code == 200


def test_experts_for_a_question_nobody_answers_whole(sw: SimpleNamespace) -> None:
    from platu.knowledge.experts import find_experts

    _parsed, experts = find_experts(sw.member.user, "สมุนไพร ดาวอังคาร ยานอวกาศ")
    assert sw.member.pk in {e.person.pk for e in experts}  # wrote the herbs item


def test_newest_first_when_the_user_asks(sw: SimpleNamespace) -> None:
    import datetime as dt

    from django.utils import timezone

    from platu.knowledge.search import search_items
    from tests.search.conftest import client_for

    best = set_state(make_item(sw.owner, sw.a, title="ถังขยะรีไซเคิล", body="<p>ถังขยะรีไซเคิล</p>"), "published")
    Item.objects.filter(pk=best.pk).update(published_at=timezone.now() - dt.timedelta(days=900))
    newer = set_state(make_item(sw.owner, sw.a, title="บันทึกประชุม", body="<p>พูดถึงถังขยะสั้น ๆ</p>"), "published")
    relevant = search_items(sw.member.user, "ถังขยะ")
    assert [h.obj.pk for h in relevant.hits][:2] == [best.pk, newer.pk]
    newest = search_items(sw.member.user, "ถังขยะ", newest=True)
    assert [h.obj.pk for h in newest.hits][:2] == [newer.pk, best.pk]
    client = client_for(sw.member)
    html = client.get("/search/", {"q": "ถังขยะ", "sort": "newest"}).content.decode()
    assert 'id="result-sort"' in html and html.index(f"/knowledge/{newer.pk}/") < html.index(
        f"/knowledge/{best.pk}/"
    )
    api = client.get("/api/v1/search", {"q": "ถังขยะ", "sort": "newest"}).json()
    assert [r["id"] for r in api["results"]][:2] == [newer.pk, best.pk]
    assert client.get("/api/v1/search", {"q": "ถังขยะ", "sort": "oldest"}).status_code == 400


def test_a_page_of_hits_reads_its_items_at_once_and_shows_who_where_and_when(sw: SimpleNamespace) -> None:
    """The result page reads only what a hit shows, in one query for all hits: a column it
    left out would cost a query per hit."""
    from tests.search.conftest import client_for

    client = client_for(sw.member)
    client.get("/search/", {"q": "กระเบื้อง"})  # the session and caches, before counting
    one = set_state(make_item(sw.owner, sw.a, title="กระเบื้องดินเผา", body="<p>กระเบื้อง</p>"), "published")
    with CaptureQueriesContext(connection) as first:
        client.get("/search/", {"q": "กระเบื้อง"})
    for n in range(6):
        set_state(make_item(sw.owner, sw.a, title=f"กระเบื้องแผ่นที่ {n}", body="<p>กระเบื้อง</p>"), "published")
    with CaptureQueriesContext(connection) as many:
        html = client.get("/search/", {"q": "กระเบื้อง"}).content.decode()
    assert html.count('class="card mb-3 search-hit"') == 7
    assert len(many.captured_queries) == len(first.captured_queries)
    assert str(sw.owner) in html and sw.a.name in html and f"/knowledge/{one.pk}/" in html
    api = client.get("/api/v1/search", {"q": "กระเบื้อง"}).json()
    assert len(api["results"]) == 7 and all(r["snippet"] and r["url"] for r in api["results"])
