"""Issue 19 part 5: award programmes created by the organisation's admins and KM team, with
categories, weighted criteria, a committee with a chair, and B.E. dates."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from platu.audit.models import AuditEntry
from platu.awards.models import Category, CommitteeMember, Criterion, Programme
from tests.awards.conftest import client_for


def _be(days: int) -> str:
    day = timezone.localdate() + dt.timedelta(days=days)
    return f"{day.day}/{day.month}/{day.year + 543}"


def _post(**changes: str) -> dict[str, str]:
    data = {
        "title": "รางวัลครูต้นแบบด้านการจัดการความรู้", "fiscal_year": "2569", "level": "school",
        "description": "คัดเลือกผลงานเด่นของโรงเรียน", "nominations_open": _be(-1),
        "nominations_close": _be(30), "scoring_deadline": _be(45), "scale": "531",
        "cat_work": "on", "places_work": "2", "cat_person": "on", "places_person": "1",
        "criteria": "มีผลต่อผู้เรียน | 3\nขยายผลได้\nมีการเผยแพร่ | ๒",
    }  # fmt: skip
    data.update(changes)
    return data


def test_it_creates_a_programme_with_categories_and_weighted_criteria(aw: SimpleNamespace) -> None:
    lead = client_for(aw.lead)
    url = reverse("awards:programme_new", args=[aw.a.code])
    assert lead.get(url).status_code == 200
    # Bad input: the dates the wrong way round and a weight that is not a number come back.
    response = lead.post(url, _post(nominations_close=_be(-5), criteria="ผลต่อผู้เรียน | มาก"))
    assert response.status_code == 200 and not Programme.objects.exists()
    page = response.content.decode()
    assert "ผลต่อผู้เรียน | มาก" in page and f'value="{_be(-5)}"' in page
    response = lead.post(url, _post(nominations_close=_be(-5)))
    assert response.status_code == 200 and not Programme.objects.exists()
    assert "nominations_close" in response.context["form"].errors
    response = lead.post(url, _post())
    programme = Programme.objects.get()
    assert response["Location"] == reverse("awards:committee", args=[programme.pk])
    assert programme.state == Programme.State.DRAFT
    assert programme.nominations_close == timezone.localdate() + dt.timedelta(days=30)
    assert [(c.kind, c.name, c.places) for c in Category.objects.filter(programme=programme)] == [
        ("work", "ผลงานดีเด่น", 2), ("person", "บุคคลต้นแบบด้านการจัดการความรู้", 1)
    ]  # fmt: skip
    assert [(c.name, c.weight) for c in Criterion.objects.filter(programme=programme)] == [
        ("มีผลต่อผู้เรียน", 3), ("ขยายผลได้", 1), ("มีการเผยแพร่", 2)
    ]  # fmt: skip
    assert AuditEntry.objects.filter(action="awards.create", object_id=str(programme.pk)).exists()


def test_only_admins_and_the_km_team_create_and_others_get_404(aw: SimpleNamespace) -> None:
    url = reverse("awards:programme_new", args=[aw.a.code])
    assert client_for(aw.member).get(url).status_code == 404
    assert client_for(aw.member).post(url, _post()).status_code == 404
    assert client_for(aw.outsider).get(url).status_code == 404
    assert client_for(aw.outsider).get(reverse("awards:programmes", args=[aw.a.code])).status_code == 404
    assert not Programme.objects.exists()


def test_a_draft_is_seen_by_its_managers_only_and_opens_with_a_committee(aw: SimpleNamespace) -> None:
    lead = client_for(aw.lead)
    lead.post(reverse("awards:programme_new", args=[aw.a.code]), _post())
    programme = Programme.objects.get()
    detail = reverse("awards:programme", args=[programme.pk])
    assert client_for(aw.member).get(detail).status_code == 404
    assert client_for(aw.supervisor).get(detail).status_code == 404  # a draft is the school's own
    action = reverse("awards:programme_action", args=[programme.pk])
    lead.post(action, {"op": "open"})
    programme.refresh_from_db()
    assert programme.state == Programme.State.DRAFT  # no committee yet
    committee = reverse("awards:committee", args=[programme.pk])
    assert client_for(aw.member).get(committee).status_code == 404
    assert client_for(aw.outsider).post(committee, {"chair": aw.chair.pk}).status_code == 404
    response = lead.post(committee, {"chair": str(aw.outsider.pk), "members": [str(aw.judge1.pk)]})
    assert response.status_code == 200 and not CommitteeMember.objects.exists()  # not in the network
    lead.post(committee, {"chair": str(aw.chair.pk), "members": [str(aw.judge1.pk), str(aw.judge2.pk)]})
    assert {(m.person_id, m.is_chair) for m in CommitteeMember.objects.filter(programme=programme)} == {
        (aw.chair.pk, True), (aw.judge1.pk, False), (aw.judge2.pk, False)
    }  # fmt: skip
    lead.post(action, {"op": "open"})
    programme.refresh_from_db()
    assert programme.state == Programme.State.OPEN
    # Now the school and the office above it read it; a sibling school does not.
    assert client_for(aw.member).get(detail).status_code == 200
    assert client_for(aw.supervisor).get(detail).status_code == 200
    assert client_for(aw.outsider).get(detail).status_code == 404
    assert client_for(aw.member).post(action, {"op": "close"}).status_code == 302
    programme.refresh_from_db()
    assert programme.state == Programme.State.OPEN  # a member may not close it


def test_editing_keeps_what_was_typed_on_a_conflict(aw: SimpleNamespace, open_programme: Programme) -> None:
    url = reverse("awards:programme_edit", args=[open_programme.pk])
    lead = client_for(aw.lead)
    assert lead.get(url).status_code == 200
    assert client_for(aw.member).get(url).status_code == 404
    old = open_programme.version
    Programme.objects.filter(pk=open_programme.pk).update(version=old + 1)
    data = _post(title="ชื่อใหม่ของรางวัล", version=str(old), cat_cop="on", places_cop="1")
    response = lead.post(url, data)
    assert response.status_code == 200 and "ชื่อใหม่ของรางวัล" in response.content.decode()
    open_programme.refresh_from_db()
    assert open_programme.title == "รางวัลการจัดการความรู้ดีเด่น"
    data["version"] = str(old + 1)
    assert lead.post(url, data).status_code == 302
    open_programme.refresh_from_db()
    assert open_programme.title == "ชื่อใหม่ของรางวัล"


@pytest.mark.parametrize("name", ["programme", "programme_edit", "committee", "nominate", "scores"])
def test_another_school_gets_404(aw: SimpleNamespace, open_programme: Programme, name: str) -> None:
    url = reverse(f"awards:{name}", args=[open_programme.pk])
    assert client_for(aw.outsider).get(url).status_code == 404
    assert client_for(aw.outsider).post(url, {}).status_code == 404
    action = reverse("awards:programme_action", args=[open_programme.pk])
    assert client_for(aw.outsider).post(action, {"op": "close"}).status_code == 404
