"""The community space (issue 17, part 8): a feed per community of its sessions, knowledge and
posts; posts and replies with @mentions, edits and removals; who may do what, and what is told."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from platu.audit.models import AuditEntry
from platu.communities import space
from platu.communities.models import Community, Member, Post, Session, SessionRecord
from platu.knowledge.models import Item, ItemLink
from platu.lib.mentions import usernames_in
from platu.notify.models import Notification
from tests.conftest import make_person


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def shown(msgid: str, **values: Any) -> str:
    """A message as the page shows it (in Thai once translated, else in English), escaped."""
    with translation.override("th"):
        text = gettext(msgid)
    return escape(text % values if values else text)


@pytest.fixture
def plc(world: SimpleNamespace) -> SimpleNamespace:
    """A PLC started by `member` (its facilitator) with `teacher` as a practitioner; `owner` is the
    organisation's CEO (manages it, is no member); `supervisor` at the parent office sees it."""
    w = world
    response = client_for(w.member).post(reverse("communities:new", args=[w.a.code]), {
        "name": "PLC ครูภาษาไทย ป.1-3", "kind": "plc", "purpose": "พัฒนาการสอนอ่านออกเขียนได้",
        "charter": "", "visibility": "organisation", "status": "active",
    })  # fmt: skip
    assert response.status_code == 302
    w.plc = Community.objects.get(name="PLC ครูภาษาไทย ป.1-3")
    w.teacher = make_person("teacher", "ครูใจ", "รักเรียน", org=w.a, title="นาง")
    Member.objects.create(community=w.plc, person=w.teacher, role=Member.Role.PRACTITIONER)
    w.feed = reverse("communities:feed", args=[w.plc.pk])
    return w


def _post(w: SimpleNamespace, person: Any, body: str, parent: Post | None = None) -> Any:
    if parent is None:
        url = reverse("communities:post_add", args=[w.plc.pk])
    else:
        url = reverse("communities:post_reply", args=[w.plc.pk, parent.pk])
    return client_for(person).post(url, {"body": body})


def test_it_posts_and_the_feed_shows_it_with_a_buddhist_era_date(plc: SimpleNamespace) -> None:
    response = _post(plc, plc.teacher, "  ใครมีบัตรคำชุดใหม่บ้างคะ\nขอยืมใช้สัปดาห์หน้า  ")
    post = Post.objects.get(community=plc.plc)
    assert response.status_code == 302 and response["Location"].endswith(f"#post-{post.pk}")
    assert post.body == "ใครมีบัตรคำชุดใหม่บ้างคะ\nขอยืมใช้สัปดาห์หน้า" and post.author == plc.teacher.user
    assert post.author_name == plc.teacher.full_name and post.parent is None
    assert AuditEntry.objects.filter(
        action="community.post", object_id=str(post.pk), organisation=plc.a
    ).exists()
    page = client_for(plc.supervisor).get(plc.feed).content.decode()
    article = page[page.index(f'id="post-{post.pk}"') :]
    assert "ใครมีบัตรคำชุดใหม่บ้างคะ<br>ขอยืมใช้สัปดาห์หน้า" in article
    assert plc.teacher.full_name in article
    assert str(timezone.localdate().year + 543) in article  # the Buddhist era
    assert str(timezone.localdate().year) not in article
    # Nobody is told of a plain post: not every member is spammed.
    assert not Notification.objects.exists()


def test_a_reply_is_indented_and_tells_the_posts_author_only(plc: SimpleNamespace) -> None:
    _post(plc, plc.teacher, "ขอแนวทางสอนสะกดคำค่ะ")
    parent = Post.objects.get()
    response = _post(plc, plc.member, "ลองใช้บัตรคำแจกลูกครับ", parent=parent)
    reply = Post.objects.get(parent=parent)
    assert response.status_code == 302 and reply.community == plc.plc
    told = Notification.objects.get()
    assert told.recipient == plc.teacher.user and told.kind == "community.reply"
    assert told.url.endswith(f"#post-{reply.pk}") and told.url.startswith(plc.feed)
    page = client_for(plc.teacher).get(told.url).content.decode()
    replies = page[page.index("feed-replies") :]
    assert 'id="post-' + str(reply.pk) + '"' in replies and "ลองใช้บัตรคำแจกลูกครับ" in replies
    # A reply to a reply is refused: one level only.
    response = client_for(plc.teacher).post(
        reverse("communities:post_reply", args=[plc.plc.pk, reply.pk]), {"body": "ขอบคุณค่ะ"}, follow=True
    )
    assert response.status_code == 200 and Post.objects.count() == 2
    assert shown("You can only reply to a post of this community.") in response.content.decode()


def test_a_mention_tells_who_may_see_the_community_and_nobody_else(plc: SimpleNamespace) -> None:
    gone = make_person("retired", "เกษียณ", "แล้ว", org=plc.a)
    gone.user.is_active = False
    gone.user.save()
    body = "@supervisor @outsider @retired @nobody และ @teacher. ช่วยดูแผนนี้ด้วย (owner@example.go.th)"
    _post(plc, plc.member, body)
    post = Post.objects.get()
    told = Notification.objects.filter(kind="community.mention")
    assert {n.recipient.username for n in told} == {"supervisor", "teacher"}
    assert all(n.url.endswith(f"#post-{post.pk}") for n in told)
    assert not Notification.objects.filter(recipient=plc.outsider.user).exists()
    assert not Notification.objects.filter(recipient=plc.owner.user).exists()  # an e-mail is no mention
    page = client_for(plc.member).get(plc.feed).content.decode()
    assert re.search(r'<span class="mention[^"]*">@teacher</span>\.', page)
    assert "owner@example.go.th" in page and ">@example" not in page
    # An edit that adds a mention tells only the newly mentioned.
    Notification.objects.all().delete()
    client_for(plc.member).post(reverse("communities:post_edit", args=[plc.plc.pk, post.pk]),
                                {"body": body + " @owner"})  # fmt: skip
    assert [n.recipient.username for n in Notification.objects.all()] == ["owner"]


def test_mentions_are_found_by_the_knowledge_rule() -> None:
    assert usernames_in("@somchai.k, @ab. cd@ef.go.th @x ถาม@mana") == {"somchai.k", "ab"}
    assert usernames_in("") == set()


def test_who_may_not_post_gets_a_message_not_an_error(plc: SimpleNamespace) -> None:
    # The parent office sees the community but is not a member.
    page = client_for(plc.supervisor).get(plc.feed).content.decode()
    assert 'id="post-form"' not in page and 'id="space-join"' in page
    response = client_for(plc.supervisor).post(
        reverse("communities:post_add", args=[plc.plc.pk]), {"body": "ขอร่วมด้วย"}, follow=True
    )
    assert response.status_code == 200 and not Post.objects.exists()
    assert (
        shown("Only the community's members may post in its space. Join it first.")
        in response.content.decode()
    )
    # The organisation's CEO manages the community and may post without joining.
    assert _post(plc, plc.owner, "ผู้อำนวยการขอชื่นชมครับ").status_code == 302
    assert Post.objects.filter(author=plc.owner.user).exists()


def test_a_closed_community_takes_no_posts(plc: SimpleNamespace) -> None:
    _post(plc, plc.teacher, "โพสต์ก่อนปิด")
    post = Post.objects.get()
    Community.objects.filter(pk=plc.plc.pk).update(status=Community.Status.CLOSED)
    response = client_for(plc.teacher).post(
        reverse("communities:post_add", args=[plc.plc.pk]), {"body": "หลังปิด"}, follow=True
    )
    assert shown("This community is closed: its space is read-only.") in response.content.decode()
    assert _post(plc, plc.member, "ตอบหลังปิด", parent=post).status_code == 302
    assert Post.objects.count() == 1
    page = client_for(plc.teacher).get(plc.feed).content.decode()
    assert 'id="space-closed"' in page and 'id="post-form"' not in page and "โพสต์ก่อนปิด" in page


def _urls(w: SimpleNamespace, post: Post) -> list[tuple[str, str]]:
    pk = w.plc.pk
    return [
        ("get", reverse("communities:feed", args=[pk])),
        ("post", reverse("communities:post_add", args=[pk])),
        ("post", reverse("communities:post_reply", args=[pk, post.pk])),
        ("post", reverse("communities:post_edit", args=[pk, post.pk])),
        ("post", reverse("communities:post_remove", args=[pk, post.pk])),
    ]


def test_another_organisation_gets_404_on_every_address(plc: SimpleNamespace) -> None:
    _post(plc, plc.teacher, "ข้อความภายใน")
    post = Post.objects.get()
    outsider = client_for(plc.outsider)
    for method, url in _urls(plc, post):
        assert getattr(outsider, method)(url, {"body": "แทรก"}).status_code == 404, url
    post.refresh_from_db()
    assert post.body == "ข้อความภายใน" and post.removed_at is None and Post.objects.count() == 1


def test_a_post_of_another_community_is_404(plc: SimpleNamespace) -> None:
    other = Community.objects.create(organisation=plc.a, name="ชุมชนครูคณิต", network_path=plc.a.network_path)
    Member.objects.create(community=other, person=plc.teacher)
    foreign = Post.objects.create(
        community=other, author=plc.teacher.user, author_name="ครูใจ", body="ของชุมชนอื่น"
    )
    client = client_for(plc.member)
    for _method, url in _urls(plc, foreign)[2:]:
        assert client.post(url, {"body": "ข้าม"}).status_code == 404, url
    assert client.get(f"{plc.feed}?post={foreign.pk}").status_code == 200  # just the feed, from the top
    foreign.refresh_from_db()
    assert foreign.body == "ของชุมชนอื่น" and foreign.removed_at is None and not foreign.replies.exists()


def test_a_removed_post_hides_its_text_and_keeps_its_replies(plc: SimpleNamespace) -> None:
    _post(plc, plc.teacher, "ข้อความที่จะลบ")
    post = Post.objects.get()
    _post(plc, plc.member, "คำตอบที่ยังอยู่", parent=post)
    reply = Post.objects.get(parent=post)
    # Somebody else's post: the practitioner may not remove the facilitator's reply.
    url = reverse("communities:post_remove", args=[plc.plc.pk, reply.pk])
    response = client_for(plc.teacher).post(url, follow=True)
    reply.refresh_from_db()
    assert reply.removed_at is None
    assert shown("Only its author, the community's facilitators and the organisation's administrators "
                 "may remove a post.") in response.content.decode()  # fmt: skip
    client_for(plc.teacher).post(reverse("communities:post_remove", args=[plc.plc.pk, post.pk]))
    post.refresh_from_db()
    assert post.removed_at is not None and post.body == "ข้อความที่จะลบ"  # kept for the record
    assert AuditEntry.objects.filter(action="community.post_remove", object_id=str(post.pk)).exists()
    page = client_for(plc.supervisor).get(plc.feed).content.decode()
    assert "ข้อความที่จะลบ" not in page and "คำตอบที่ยังอยู่" in page
    assert shown("This post was removed.") in page
    # Removed posts take no replies; a facilitator removes anyone's reply.
    response = client_for(plc.member).post(
        reverse("communities:post_reply", args=[plc.plc.pk, post.pk]), {"body": "อีกคำตอบ"}, follow=True
    )
    assert shown("This post has been removed; it takes no more replies.") in response.content.decode()
    assert Post.objects.count() == 2
    client_for(plc.member).post(url)
    reply.refresh_from_db()
    assert reply.removed_at is not None
    # The page of the community lists only posts that stand.
    detail = client_for(plc.member).get(plc.plc.get_absolute_url()).content.decode()
    assert 'id="space-latest"' in detail and "ข้อความที่จะลบ" not in detail


def test_the_author_edits_their_post_and_it_says_edited(plc: SimpleNamespace) -> None:
    _post(plc, plc.teacher, "นัดวันพุธ")
    post = Post.objects.get()
    edit = reverse("communities:post_edit", args=[plc.plc.pk, post.pk])
    client_for(plc.member).post(edit, {"body": "เปลี่ยนโดยคนอื่น"})
    post.refresh_from_db()
    assert post.body == "นัดวันพุธ" and post.edited_at is None
    page = client_for(plc.teacher).get(plc.feed).content.decode()
    assert f'id="edit-{post.pk}"' in page and f'">{shown("edited")}</span>' not in page
    assert client_for(plc.teacher).post(edit, {"body": "นัดวันพฤหัสบดีแทน"}).status_code == 302
    post.refresh_from_db()
    assert post.body == "นัดวันพฤหัสบดีแทน" and post.edited_at is not None
    assert AuditEntry.objects.filter(action="community.post_edit", object_id=str(post.pk)).exists()
    page = client_for(plc.member).get(plc.feed).content.decode()
    assert (
        "นัดวันพฤหัสบดีแทน" in page
        and f'">{shown("edited")}</span>' in page
        and f'id="edit-{post.pk}"' not in page
    )
    # Long after posting, an edit is refused.
    Post.objects.filter(pk=post.pk).update(
        created_at=timezone.now() - space.EDIT_WINDOW - dt.timedelta(hours=1)
    )
    response = client_for(plc.teacher).post(edit, {"body": "แก้อีกครั้ง"}, follow=True)
    post.refresh_from_db()
    assert post.body == "นัดวันพฤหัสบดีแทน"
    assert (
        shown("You can edit only your own posts, for %(days)s days after posting.", days=7)
        in response.content.decode()
    )


def test_html_in_a_post_is_text(plc: SimpleNamespace) -> None:
    _post(plc, plc.teacher, '<script>alert("x")</script> <b>หนา</b> <a href="javascript:x">ลิงก์</a> @member')
    page = client_for(plc.member).get(plc.feed).content.decode()
    assert "<script>alert" not in page and "<b>หนา</b>" not in page and 'href="javascript' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page and "&lt;b&gt;หนา&lt;/b&gt;" in page
    detail = client_for(plc.member).get(plc.plc.get_absolute_url()).content.decode()
    assert "<script>alert" not in detail and "&lt;b&gt;หนา&lt;/b&gt;" in detail


@pytest.mark.parametrize("body", ["   \n ", "ก" * (space.MAX_BODY + 1)])
def test_an_empty_or_too_long_post_is_a_message_and_the_text_stays(plc: SimpleNamespace, body: str) -> None:
    response = _post(plc, plc.teacher, body)
    assert response.status_code == 200 and not Post.objects.exists()
    page = response.content.decode()
    if body.strip():
        message = shown("A message may have at most %(n)s characters; this one has %(count)s.",
                        n="5,000", count="5,001")  # fmt: skip
        assert message in page and f">{body}</textarea>" in page
    else:
        assert shown("Write a message first.") in page
    assert 'id="post-error"' in page and "is-invalid" in page


def test_a_bad_reply_or_edit_keeps_its_text_in_its_own_form(plc: SimpleNamespace) -> None:
    _post(plc, plc.teacher, "ต้นเรื่อง")
    post = Post.objects.get()
    long = "ข" * (space.MAX_BODY + 1)
    page = _post(plc, plc.member, long, parent=post).content.decode()
    assert (
        'id="reply-error"' in page
        and f'id="reply-{post.pk}" name="body"' in page
        and f">{long}</textarea>" in page
    )
    assert not Post.objects.filter(parent=post).exists()
    edit = reverse("communities:post_edit", args=[plc.plc.pk, post.pk])
    page = client_for(plc.teacher).post(edit, {"body": long}).content.decode()
    assert 'id="edit-error"' in page and f">{long}</textarea>" in page
    post.refresh_from_db()
    assert post.body == "ต้นเรื่อง"


def _item(w: SimpleNamespace, title: str, state: str, owner: Any) -> Item:
    return Item.objects.create(organisation=w.a, owner=owner, title=title, state=state,
                               visibility=Item.Visibility.ORGANISATION,
                               published_at=timezone.now() if state == "published" else None)  # fmt: skip


def _session(w: SimpleNamespace, title: str, days: int, state: str = Session.State.HELD) -> Session:
    start = timezone.now() + dt.timedelta(days=days)
    return Session.objects.create(community=w.plc, title=title, starts_at=start,
                                  ends_at=start + dt.timedelta(hours=1), state=state)  # fmt: skip


def test_the_feed_has_sessions_and_the_knowledge_the_viewer_may_read(plc: SimpleNamespace) -> None:
    held = _session(plc, "ประชุมวงแรก", -14)
    _session(plc, "ประชุมวงสอง (ยกเลิก)", -7, Session.State.CANCELLED)
    _session(plc, "ประชุมสัปดาห์หน้า", 3, Session.State.SCHEDULED)
    _session(plc, "ประชุมอีกสองเดือน", 60, Session.State.SCHEDULED)
    record = SessionRecord.objects.create(session=held, topic="การอ่านสะกดคำ")
    made = _item(plc, "AAR จากการประชุม", "published", plc.member)
    draft = _item(plc, "ร่างบทเรียนที่ยังไม่เผยแพร่", "draft", plc.owner)
    record.items.add(made, draft)
    ItemLink.objects.create(item=made, kind=ItemLink.Kind.COMMUNITY, target_id=plc.plc.pk, label=plc.plc.name)
    linked = _item(plc, "คู่มือบัตรคำแจกลูก", "published", plc.owner)
    ItemLink.objects.create(
        item=linked, kind=ItemLink.Kind.COMMUNITY, target_id=plc.plc.pk, label=plc.plc.name
    )
    elsewhere = _item(plc, "ความรู้ของชุมชนอื่น", "published", plc.owner)
    ItemLink.objects.create(
        item=elsewhere, kind=ItemLink.Kind.COMMUNITY, target_id=plc.plc.pk + 1000, label="x"
    )
    _post(plc, plc.teacher, "โพสต์ล่าสุด")
    page = client_for(plc.teacher).get(plc.feed).content.decode()
    titles = ["ประชุมสัปดาห์หน้า", "โพสต์ล่าสุด", "คู่มือบัตรคำแจกลูก", "AAR จากการประชุม",
              "ประชุมวงสอง (ยกเลิก)", "ประชุมวงแรก"]  # fmt: skip
    positions = [page.index(t) for t in titles]
    assert positions == sorted(positions)  # newest first: a session by its start (next week's on top)
    assert "ร่างบทเรียนที่ยังไม่เผยแพร่" not in page and "ความรู้ของชุมชนอื่น" not in page
    assert "ประชุมอีกสองเดือน" not in page  # sessions join the feed a week ahead
    # The draft's own author reads it there.
    assert "ร่างบทเรียนที่ยังไม่เผยแพร่" in client_for(plc.owner).get(plc.feed).content.decode()
    assert client_for(plc.owner).get(plc.feed).content.decode().count("AAR จากการประชุม") == 1


def _grow(w: SimpleNamespace, n: int, start: int) -> None:
    for i in range(start, start + n):
        post = Post.objects.create(
            community=w.plc, author=w.teacher.user, author_name="ครูใจ", body=f"โพสต์ {i}"
        )
        Post.objects.create(
            community=w.plc, parent=post, author=w.member.user, author_name="มานี", body=f"ตอบ {i}"
        )
        _session(w, f"วง {i}", -i - 1)
        item = _item(w, f"ความรู้ {i}", "published", w.member)
        ItemLink.objects.create(item=item, kind=ItemLink.Kind.COMMUNITY, target_id=w.plc.pk, label=w.plc.name)


def test_the_feed_keeps_its_query_count_as_it_grows(plc: SimpleNamespace) -> None:
    client = client_for(plc.teacher)
    _grow(plc, 2, 0)
    client.get(plc.feed)
    with CaptureQueriesContext(connection) as few:
        assert client.get(plc.feed).status_code == 200
    _grow(plc, 30, 2)
    with CaptureQueriesContext(connection) as more:
        page = client.get(plc.feed).content.decode()
    assert len(more) == len(few), [q["sql"] for q in more.captured_queries]
    assert page.count('class="card mb-3 feed-') == 20
    before = re.search(r'href="[^"]*\?before=([0-9-]+)"', page)
    assert before is not None
    with CaptureQueriesContext(connection) as older:
        second = client.get(f"{plc.feed}?before={before.group(1)}").content.decode()
    assert len(older) == len(few)
    assert second.count('class="card mb-3 feed-') == 20
    # No entry is on both pages.
    shown_first = set(re.findall(r'id="((?:post|session|item)-\d+)"', page))
    shown_second = set(re.findall(r'id="((?:post|session|item)-\d+)"', second))
    assert shown_first and shown_second and not shown_first & shown_second


def test_a_notification_opens_the_feed_at_an_old_thread(plc: SimpleNamespace) -> None:
    first = Post.objects.create(
        community=plc.plc, author=plc.teacher.user, author_name="ครูใจ", body="เรื่องเก่ามาก"
    )
    Post.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    _grow(plc, 25, 0)
    assert "เรื่องเก่ามาก" not in client_for(plc.teacher).get(plc.feed).content.decode()
    _post(plc, plc.member, "ตอบเรื่องเก่า", parent=first)
    told = Notification.objects.get(kind="community.reply")
    page = client_for(plc.teacher).get(told.url).content.decode()
    assert "เรื่องเก่ามาก" in page and "ตอบเรื่องเก่า" in page and 'id="feed-newest"' in page


@pytest.mark.parametrize("before", ["abc", "1-9-1", "99999999999999999999-2-1", "1-2-0", "-1-2-3"])
def test_a_bad_cursor_is_the_newest_page(plc: SimpleNamespace, before: str) -> None:
    _post(plc, plc.teacher, "โพสต์เดียว")
    response = client_for(plc.teacher).get(f"{plc.feed}?before={before}")
    assert response.status_code == 200 and "โพสต์เดียว" in response.content.decode()


def test_the_community_page_links_the_space_and_shows_the_latest_posts(plc: SimpleNamespace) -> None:
    for i in range(4):
        _post(plc, plc.teacher, f"ข่าวที่ {i}")
    page = client_for(plc.member).get(plc.plc.get_absolute_url()).content.decode()
    box = page[page.index('id="space-latest"') :]
    assert plc.feed in page and 'id="feed-tab"' in page
    assert "ข่าวที่ 3" in box and "ข่าวที่ 1" in box and "ข่าวที่ 0" not in box


def test_the_demo_adds_thai_threads_with_a_mention_once(db: Any, settings: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    from platu.communities import demo, demo_space
    from platu.orgs.models import Person

    settings.PLATU_DEMO_PASSWORD = "ปลาทูแม่กลอง-2569"
    call_command("platu_demo", stdout=StringIO())
    people = {p.user.username: p for p in Person.objects.filter(user__isnull=False).select_related("user")}
    communities = demo.build(people)
    Post.objects.all().delete()  # whatever the demo command wrote already
    written = demo_space.build(communities, people)
    assert written == Post.objects.count() >= 6
    assert demo_space.build(communities, people) == 0 and Post.objects.count() == written
    assert {p.community for p in Post.objects.all()} == set(communities)
    mention = Post.objects.get(body__startswith="@kannika.s")
    assert mention.replies.exists() and mention.created_at < timezone.now()
    for post in Post.objects.select_related("community"):
        assert Member.objects.filter(
            community=post.community, person__user=post.author, state="member"
        ).exists()
    page = client_for(mention.community.members.get(person__user__username="kannika.s").person).get(
        reverse("communities:feed", args=[mention.community.pk])
    )
    assert re.search(r'<span class="mention[^"]*">@kannika.s</span>', page.content.decode())
