"""Issue 18 part 2: the organisation's own KM indicators, counted from what happens in Platu."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

from platu.audit.models import AuditEntry
from platu.knowledge.models import Item
from platu.orgs.models import Membership
from platu.tracking.models import OrgIndicator
from tests.planning.conftest import client_for


def test_the_share_of_staff_who_contributed_knowledge(tw: SimpleNamespace) -> None:
    url = reverse("tracking:indicators", args=[tw.a.code])
    lead = client_for(tw.lead)
    response = lead.post(url + "?fy=2569", {"fy": "2569", "op": "add", "name": "ร้อยละบุคลากรที่ร่วมเขียนความรู้",
                                              "measure": "knowledge.contributor_share", "scope": "organisation",
                                              "target": "ร้อยละหก"})  # fmt: skip
    assert "ระบุค่าเป้าหมายเป็นตัวเลข" in response.content.decode() and not OrgIndicator.objects.exists()
    lead.post(url + "?fy=2569", {"fy": "2569", "op": "add", "name": "ร้อยละบุคลากรที่ร่วมเขียนความรู้",
                                 "measure": "knowledge.contributor_share", "scope": "organisation", "target": "60"})  # fmt: skip
    assert OrgIndicator.objects.get().target == 60
    in_year = timezone.make_aware(dt.datetime(2026, 2, 1, 9))
    Item.objects.create(
        organisation=tw.a, owner=tw.teacher, title="เรื่องเล่า", state="published", published_at=in_year
    )
    Item.objects.create(organisation=tw.a, owner=tw.lead, title="ร่าง", state="draft")
    staff = Membership.objects.filter(organisation=tw.a).count()
    page = client_for(tw.ceo).get(url, {"fy": "2569"}).content.decode()
    share = f"{100 / staff:.2f}".rstrip("0").rstrip(".")
    assert share in page and "ต่ำกว่าเป้าหมาย" in page
    assert 'id="indicator-form"' not in page  # the CEO reads, the KM team sets
    assert client_for(tw.outsider).get(url).status_code == 404
    assert client_for(tw.supervisor).get(url, {"fy": "2569"}).status_code == 200
    assert client_for(tw.teacher).post(url, {"op": "add", "name": "x", "measure": "knowledge.views",
                                             "scope": "organisation"}).status_code == 404  # fmt: skip
    assert AuditEntry.objects.filter(action="tracking.indicator", organisation=tw.a).exists()
