"""Issue 19 part 5: nominations (self, peer, head) of knowledge items the nominator may read,
communities, sessions and people of the programme's organisation tree, with a statement and
evidence under the knowledge upload rules; the chair's review."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from platu.audit.models import AuditEntry
from platu.awards import actions
from platu.awards.models import Category, Nomination, NominationFile, Programme
from platu.lib.errors import InvalidAction
from platu.notify.models import Notification
from tests.awards.conftest import client_for

STATEMENT = "ครูใช้วิธีแจกลูกสะกดคำจนนักเรียนชั้น ป.1 อ่านออกครบทุกคนภายในหนึ่งภาคเรียน"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 100, 50)).save(out, "PNG")
    return out.getvalue()


def _nominate(
    person: SimpleNamespace, programme: Programme, kind: str, value: str, **extra: object
) -> object:
    category = Category.objects.get(programme=programme, kind=kind)
    data = {"category": str(category.pk), "nominee": value, "statement": STATEMENT, **extra}
    return client_for(person).post(reverse("awards:nominate", args=[programme.pk]), data)


def test_a_teacher_nominates_a_knowledge_item_with_evidence(
    aw: SimpleNamespace, open_programme: Programme
) -> None:
    page = client_for(aw.teacher).get(reverse("awards:nominate", args=[open_programme.pk])).content.decode()
    assert aw.item.title in page and aw.community.name in page and aw.member.full_name in page
    assert aw.draft.title not in page and aw.b_item.title not in page  # only what may be nominated
    photo = SimpleUploadedFile("ภาพผลงาน.png", _png())
    response = _nominate(aw.teacher, open_programme, "work", f"item:{aw.item.pk}", file=photo)
    row = Nomination.objects.get()
    assert response["Location"] == row.get_absolute_url()
    assert (row.target, row.item_id, row.kind, row.title, row.nominator_id) == (
        "item", aw.item.pk, "peer", aw.item.title, aw.teacher.pk
    )  # fmt: skip
    evidence = NominationFile.objects.get(nomination=row)
    assert evidence.name == "ภาพผลงาน.png" and evidence.content_type == "image/png"
    assert AuditEntry.objects.filter(action="awards.nominate", object_id=str(row.pk)).exists()
    assert Notification.objects.filter(recipient=aw.chair.user, kind="awards.nomination").exists()
    # The evidence: the nominator, the nominee and the committee; not another member, nor outside.
    url = evidence.get_absolute_url()
    assert client_for(aw.teacher).get(url).status_code == 200
    assert client_for(aw.member).get(url).status_code == 200  # the item's author
    assert client_for(aw.judge1).get(url).status_code == 200
    assert client_for(aw.judge2).get(row.get_absolute_url()).status_code == 200
    assert client_for(aw.owner).get(row.get_absolute_url()).status_code == 200  # the head manages
    assert client_for(aw.outsider).get(url).status_code == 404
    assert client_for(aw.outsider).get(row.get_absolute_url()).status_code == 404
    other = client_for(aw.supervisor)  # the office above reads the programme, not the nomination
    assert other.get(open_programme.get_absolute_url()).status_code == 200
    assert other.get(row.get_absolute_url()).status_code == 404 and other.get(url).status_code == 404
    # The same item twice in the category is refused.
    response = _nominate(aw.judge1, open_programme, "work", f"item:{aw.item.pk}")
    assert response.status_code == 200 and Nomination.objects.count() == 1
    assert response.context["form"].errors["nominee"]


def test_self_peer_and_head_nominations(aw: SimpleNamespace, open_programme: Programme) -> None:
    _nominate(aw.teacher, open_programme, "person", f"person:{aw.teacher.pk}")
    _nominate(aw.owner, open_programme, "person", f"person:{aw.member.pk}")
    _nominate(aw.judge1, open_programme, "cop", f"community:{aw.community.pk}")
    kinds = {n.title: n.kind for n in Nomination.objects.all()}
    assert kinds == {aw.teacher.full_name: "self", aw.member.full_name: "head", aw.community.name: "peer"}


def test_what_may_not_be_nominated_is_refused(aw: SimpleNamespace, open_programme: Programme) -> None:
    for value in (f"item:{aw.b_item.pk}", f"item:{aw.draft.pk}", "item:abc", "item:99999999999999999999",
                  f"community:{aw.community.pk}", "session:1", ""):  # fmt: skip
        response = _nominate(aw.teacher, open_programme, "work", value)
        assert response.status_code == 200 and response.context["form"].errors, value
    response = _nominate(aw.teacher, open_programme, "person", f"person:{aw.outsider.pk}")
    assert response.status_code == 200 and response.context["form"].errors
    _nominate(aw.teacher, open_programme, "person", f"person:{aw.teacher.pk}")
    assert Nomination.objects.count() == 1  # only the self-nomination
    # A person in the work category, and a statement too short.
    response = _nominate(aw.judge1, open_programme, "work", f"person:{aw.member.pk}")
    assert response.status_code == 200 and response.context["form"].errors
    category = Category.objects.get(programme=open_programme, kind="work")
    response = client_for(aw.judge1).post(reverse("awards:nominate", args=[open_programme.pk]),
                                          {"category": category.pk, "nominee": f"item:{aw.item2.pk}", "statement": "ดี"})  # fmt: skip
    assert response.status_code == 200 and "statement" in response.context["form"].errors
    assert "item:" + str(aw.item2.pk) in response.content.decode()  # the choice is kept
    # Once nominations close, nothing more.
    Programme.objects.filter(pk=open_programme.pk).update(nominations_close=dt.date(2020, 1, 1))
    response = _nominate(aw.judge1, open_programme, "work", f"item:{aw.item2.pk}")
    assert response.status_code == 302 and Nomination.objects.count() == 1
    open_programme.refresh_from_db()
    assert open_programme.state == Programme.State.SCORING  # moved on when next looked at


def test_the_chair_reviews_and_the_nominator_withdraws(
    aw: SimpleNamespace, open_programme: Programme
) -> None:
    _nominate(aw.teacher, open_programme, "work", f"item:{aw.item.pk}")
    _nominate(aw.teacher, open_programme, "work", f"item:{aw.item2.pk}")
    first, second = Nomination.objects.order_by("pk")
    url = reverse("awards:nomination_action", args=[open_programme.pk, first.pk])
    client_for(aw.judge1).post(url, {"op": "accept"})
    first.refresh_from_db()
    assert first.state == "submitted"  # a member is not the chair
    client_for(aw.chair).post(url, {"op": "reject", "note": ""})
    first.refresh_from_db()
    assert first.state == "submitted"  # a refusal needs a reason
    client_for(aw.chair).post(url, {"op": "reject", "note": "ผลงานยังไม่เผยแพร่ครบหนึ่งภาคเรียน"})
    first.refresh_from_db()
    assert first.state == "rejected" and first.reviewed_by_id == aw.chair.pk
    assert Notification.objects.filter(recipient=aw.teacher.user, kind="awards.review").exists()
    client_for(aw.teacher).post(reverse("awards:nomination_action", args=[open_programme.pk, second.pk]),
                                {"op": "withdraw"})  # fmt: skip
    second.refresh_from_db()
    assert second.state == "withdrawn"
    assert client_for(aw.outsider).post(url, {"op": "accept"}).status_code == 404


def test_actions_refuse_a_category_of_another_programme(
    aw: SimpleNamespace, open_programme: Programme
) -> None:
    other = actions.create_programme(aw.a, {
        "title": "อีกรางวัล", "fiscal_year": 2569, "level": "school", "description": "", "scale": "10",
        "nominations_open": dt.date(2020, 1, 1), "nominations_close": dt.date(2020, 1, 2),
        "scoring_deadline": dt.date(2020, 1, 3)}, categories=[("work", 1)], criteria=[("ก", 1)],
        acting_user=aw.lead.user)  # fmt: skip
    category = Category.objects.get(programme=other)
    try:
        actions.nominate(open_programme, category, "item", aw.item, STATEMENT, acting_user=aw.teacher.user)
    except InvalidAction as exc:
        assert exc.field == "category"
    else:
        raise AssertionError("nominated into another programme's category")
