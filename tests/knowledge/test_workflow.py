"""Vetting: every transition — who may, what happens, what is refused and why."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from platu.audit.models import AuditEntry
from platu.knowledge import workflow
from platu.knowledge.models import Comment, Item, ReviewVote
from platu.lib.errors import ActionRefused, InvalidAction
from platu.notify.models import Notification
from tests.conftest import make_person
from tests.knowledge.conftest import client_for, make_item, publish

pytestmark = pytest.mark.django_db


def test_submit_by_author_notifies_the_committee_by_app_and_email(
    kw: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    item = make_item(kw.member, kw.a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(item, acting_user=kw.member.user)
    item.refresh_from_db()
    assert item.state == "submitted" and item.review_round == 1
    notified = set(
        Notification.objects.filter(kind="knowledge.submit").values_list("recipient__username", flat=True)
    )
    assert notified == {"rev1", "rev2", "rev3"}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "rev1@example.go.th",
        "rev2@example.go.th",
        "rev3@example.go.th",
    ]
    assert item.title in mail.outbox[0].subject
    assert AuditEntry.objects.filter(action="knowledge.submit", object_id=str(item.pk)).count() == 1


def test_only_authors_submit_and_only_drafts(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    with pytest.raises(ActionRefused, match="เฉพาะผู้เขียนเท่านั้น"):
        workflow.submit(item, acting_user=kw.owner.user)
    workflow.submit(item, acting_user=kw.member.user)
    with pytest.raises(InvalidAction, match="ส่งเข้ากลั่นกรองได้เฉพาะฉบับร่าง"):
        workflow.submit(item, acting_user=kw.member.user)


def test_submit_refused_without_a_brain_bank(world: SimpleNamespace) -> None:
    item = make_item(world.member, world.a)
    with pytest.raises(InvalidAction, match="ยังไม่มีคณะกรรมการคลังสมอง"):
        workflow.submit(item, acting_user=world.member.user)
    item.refresh_from_db()
    assert item.state == "draft"


def test_parent_brain_bank_vets_when_the_organisation_has_none(world: SimpleNamespace) -> None:
    reviewer = make_person("pbank", "ปิยะ", "ธรรมดี", org=world.parent)
    from platu.orgs.models import Team, TeamMember

    bank = Team.objects.create(organisation=world.parent, kind="brain_bank", name="คลังสมองเขต")
    TeamMember.objects.create(team=bank, person=reviewer)
    item = make_item(world.member, world.a)
    workflow.submit(item, acting_user=world.member.user)
    workflow.vote(item, acting_user=reviewer.user, choice="approve")
    item.refresh_from_db()
    assert item.state == "approved"


def test_empty_content_cannot_be_submitted(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a, body="<p> </p>")
    with pytest.raises(InvalidAction, match="กรุณาเขียนเนื้อหาก่อนส่ง"):
        workflow.submit(item, acting_user=kw.member.user)


def test_quorum_majority_approves(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    workflow.submit(item, acting_user=kw.member.user)
    workflow.vote(item, acting_user=kw.reviewers[0].user, choice="approve")
    item.refresh_from_db()
    assert item.state == "in_review"  # 1 of 2 needed
    workflow.vote(item, acting_user=kw.reviewers[1].user, choice="approve")
    item.refresh_from_db()
    assert item.state == "approved"
    assert Notification.objects.filter(recipient=kw.member.user, kind="knowledge.approve").exists()


def test_quorum_setting_of_the_organisation(kw: SimpleNamespace) -> None:
    kw.a.review_quorum = 3
    kw.a.save()
    item = make_item(kw.member, kw.a)
    workflow.submit(item, acting_user=kw.member.user)
    for reviewer in kw.reviewers[:2]:
        workflow.vote(item, acting_user=reviewer.user, choice="approve")
    item.refresh_from_db()
    assert item.state == "in_review"
    workflow.vote(item, acting_user=kw.reviewers[2].user, choice="approve")
    item.refresh_from_db()
    assert item.state == "approved"


def test_needs_changes_when_quorum_cannot_be_reached(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    workflow.submit(item, acting_user=kw.member.user)
    workflow.vote(item, acting_user=kw.reviewers[0].user, choice="needs_changes", comment="เพิ่มตัวเลขผลลัพธ์",
                  quote="จัดกลุ่มเด็กตามระดับการอ่าน")  # fmt: skip
    item.refresh_from_db()
    assert item.state == "in_review"  # 2 approvals still possible
    workflow.vote(item, acting_user=kw.reviewers[1].user, choice="needs_changes", comment="ขอภาพประกอบ")
    item.refresh_from_db()
    assert item.state == "needs_changes"
    review = Comment.objects.filter(item=item, is_review=True).order_by("pk")
    assert [c.body for c in review] == ["เพิ่มตัวเลขผลลัพธ์", "ขอภาพประกอบ"]
    assert review[0].quote == "จัดกลุ่มเด็กตามระดับการอ่าน"
    # The author sees every review comment on the item page.
    page = client_for(kw.member).get(item.get_absolute_url()).content.decode()
    assert "เพิ่มตัวเลขผลลัพธ์" in page and "ขอภาพประกอบ" in page


def test_needs_changes_vote_requires_a_comment(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    workflow.submit(item, acting_user=kw.member.user)
    with pytest.raises(InvalidAction, match="กรุณาระบุสิ่งที่ควรแก้ไข"):
        workflow.vote(item, acting_user=kw.reviewers[0].user, choice="needs_changes")
    assert not ReviewVote.objects.filter(item=item).exists()


def test_changing_a_vote_counts_once(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    workflow.submit(item, acting_user=kw.member.user)
    workflow.vote(item, acting_user=kw.reviewers[0].user, choice="needs_changes", comment="ขอแก้")
    workflow.vote(item, acting_user=kw.reviewers[0].user, choice="approve")
    assert ReviewVote.objects.filter(item=item).count() == 1
    assert workflow.tally(item)["approve"] == 1


def test_who_may_not_vote(kw: SimpleNamespace) -> None:
    item = make_item(kw.reviewers[0], kw.a)  # a reviewer's own item
    workflow.submit(item, acting_user=kw.reviewers[0].user)
    for person in (kw.reviewers[0], kw.member, kw.owner, kw.outsider):
        with pytest.raises(ActionRefused):
            workflow.vote(item, acting_user=person.user, choice="approve")
    # Two other reviewers: a majority of two is two.
    workflow.vote(item, acting_user=kw.reviewers[1].user, choice="approve")
    item.refresh_from_db()
    assert item.state == "in_review"


def test_votes_only_in_review(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    with pytest.raises(InvalidAction, match="ลงมติได้เฉพาะเมื่อความรู้อยู่ระหว่างกลั่นกรอง"):
        workflow.vote(item, acting_user=kw.reviewers[0].user, choice="approve")


def test_resubmission_starts_a_new_round(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    workflow.submit(item, acting_user=kw.member.user)
    for reviewer in kw.reviewers[:2]:
        workflow.vote(item, acting_user=reviewer.user, choice="needs_changes", comment="ขอแก้")
    workflow.submit(item, acting_user=kw.member.user)
    item.refresh_from_db()
    assert item.state == "submitted" and item.review_round == 2
    assert workflow.tally(item)["needs_changes"] == 0


def test_start_review_withdraw_publish_archive(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    workflow.submit(item, acting_user=kw.member.user)
    with pytest.raises(ActionRefused):
        workflow.start_review(item, acting_user=kw.member.user)
    workflow.start_review(item, acting_user=kw.reviewers[2].user)
    assert item.state == "in_review"
    workflow.withdraw(item, acting_user=kw.member.user)
    assert item.state == "draft"
    with pytest.raises(InvalidAction, match="เผยแพร่ได้เฉพาะความรู้ที่ผ่านการกลั่นกรอง"):
        workflow.publish(item, acting_user=kw.member.user)
    item = publish(item, kw)
    assert item.state == "published"
    assert item.review_due == workflow.add_months(timezone.localdate(), 12)
    with pytest.raises(ActionRefused):
        workflow.archive(item, acting_user=kw.reviewers[0].user)
    workflow.archive(item, acting_user=kw.owner.user)  # the CEO administers the organisation
    assert item.state == "archived"
    with pytest.raises(InvalidAction, match="ความรู้นี้จัดเก็บแล้ว"):
        workflow.archive(item, acting_user=kw.owner.user)
    workflow.unarchive(item, acting_user=kw.member.user)
    assert item.state == "draft"
    actions = list(
        AuditEntry.objects.filter(object_id=str(item.pk), action__startswith="knowledge.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[:5] == ["knowledge.create", "knowledge.submit", "knowledge.start_review", "knowledge.withdraw",
                           "knowledge.submit"]  # fmt: skip
    assert actions[-3:] == ["knowledge.publish", "knowledge.archive", "knowledge.unarchive"]


def test_publish_only_by_author_or_admin(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    workflow.submit(item, acting_user=kw.member.user)
    for reviewer in kw.reviewers[:2]:
        workflow.vote(item, acting_user=reviewer.user, choice="approve")
    with pytest.raises(ActionRefused, match="ผู้ดูแลการจัดการความรู้"):
        workflow.publish(item, acting_user=kw.reviewers[0].user)
    workflow.publish(item, acting_user=kw.owner.user)
    assert item.state == "published"


def test_stale_marking_with_a_frozen_clock_and_rereview(kw: SimpleNamespace) -> None:
    item = publish(make_item(kw.member, kw.a, review_interval_months=6), kw)
    due = item.review_due
    assert due == workflow.add_months(timezone.localdate(), 6)
    assert workflow.mark_stale(today=due - dt.timedelta(days=1)) == 0
    item.refresh_from_db()
    assert item.state == "published"
    assert workflow.mark_stale(today=due) == 1
    assert workflow.mark_stale(today=due) == 0  # idempotent
    item.refresh_from_db()
    assert item.state == "stale"
    assert Notification.objects.filter(kind="knowledge.stale", recipient=kw.reviewers[0].user).exists()
    # Still readable while due, and in the committee's queue.
    page = client_for(kw.reviewers[1]).get("/knowledge/mine/").content.decode()
    assert item.title in page
    with pytest.raises(ActionRefused):
        workflow.rereview(item, acting_user=kw.member.user)
    workflow.rereview(item, acting_user=kw.reviewers[1].user)
    assert item.state == "published" and item.review_due == workflow.add_months(timezone.localdate(), 6)


def test_transition_endpoint_shows_the_refusal(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    response = client_for(kw.member).post(f"/knowledge/{item.pk}/do/publish/", follow=True)
    assert "เผยแพร่ได้เฉพาะความรู้ที่ผ่านการกลั่นกรองของคณะกรรมการคลังสมองแล้ว" in response.content.decode()
    item.refresh_from_db()
    assert item.state == "draft"
    assert client_for(kw.member).post(f"/knowledge/{item.pk}/do/nonsense/").status_code == 404


def test_vote_through_the_page(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    workflow.submit(item, acting_user=kw.member.user)
    reviewer = client_for(kw.reviewers[0])
    page = reviewer.get(item.get_absolute_url()).content.decode()
    assert 'id="vote-form"' in page
    response = reviewer.post(f"/knowledge/{item.pk}/vote/", {"vote": "needs_changes", "comment": ""})
    assert response.status_code == 400  # the form again, with the reason
    reviewer.post(f"/knowledge/{item.pk}/vote/", {"vote": "approve", "comment": "ดีมาก"})
    assert ReviewVote.objects.get(item=item).vote == "approve"
    assert Item.objects.get(pk=item.pk).state == "in_review"


def test_housekeeping_command_marks_due_items(kw: SimpleNamespace) -> None:
    from django.core.management import call_command

    item = publish(make_item(kw.member, kw.a), kw)
    Item.objects.filter(pk=item.pk).update(review_due=timezone.localdate() - dt.timedelta(days=1))
    call_command("platu_housekeeping", stdout=open("/dev/null", "w"))  # noqa: SIM115
    item.refresh_from_db()
    assert item.state == "stale"
