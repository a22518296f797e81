"""draft → submitted → reviewed (CKO) → approved (CEO), returns with comments, the frozen
approved plan and the amendment cycle."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from platu.lib.errors import ActionRefused, InvalidAction
from platu.planning import actions, tables
from platu.planning.models import Activity, Plan, PlanEvent
from tests.planning.conftest import reload


def approve_fully(pw: SimpleNamespace) -> Plan:
    actions.submit(pw.plan, acting_user=pw.km.user)
    actions.review(pw.plan, acting_user=pw.cko.user)
    actions.approve(pw.plan, acting_user=pw.ceo.user)
    return reload(pw.plan)


@pytest.mark.parametrize("who", ["member", "cko", "ceo", "outsider", "supervisor"])
def test_only_the_km_team_submits(pw: SimpleNamespace, who: str) -> None:
    with pytest.raises(ActionRefused):
        actions.submit(pw.plan, acting_user=getattr(pw, who).user)
    assert reload(pw.plan).state == Plan.State.DRAFT


@pytest.mark.parametrize("who", ["lead", "km", "ceo", "member", "outsider", "supervisor"])
def test_only_the_cko_reviews(pw: SimpleNamespace, who: str) -> None:
    actions.submit(pw.plan, acting_user=pw.lead.user)
    with pytest.raises(ActionRefused):
        actions.review(pw.plan, acting_user=getattr(pw, who).user)
    assert reload(pw.plan).state == Plan.State.SUBMITTED


@pytest.mark.parametrize("who", ["lead", "km", "cko", "member", "outsider", "supervisor"])
def test_only_the_ceo_approves(pw: SimpleNamespace, who: str) -> None:
    actions.submit(pw.plan, acting_user=pw.lead.user)
    actions.review(pw.plan, acting_user=pw.cko.user)
    with pytest.raises(ActionRefused):
        actions.approve(pw.plan, acting_user=getattr(pw, who).user)
    assert reload(pw.plan).state == Plan.State.REVIEWED


def test_steps_in_order_only(pw: SimpleNamespace) -> None:
    with pytest.raises(InvalidAction):
        actions.review(pw.plan, acting_user=pw.cko.user)  # not submitted
    with pytest.raises(InvalidAction):
        actions.approve(pw.plan, acting_user=pw.ceo.user)  # not reviewed
    Activity.objects.filter(plan=pw.plan).delete()
    with pytest.raises(InvalidAction):  # nothing to approve
        actions.submit(pw.plan, acting_user=pw.lead.user)


def test_the_full_cycle_records_who_signed_when(pw: SimpleNamespace) -> None:
    plan = approve_fully(pw)
    assert plan.state == Plan.State.APPROVED
    assert plan.submitted_by == pw.km and plan.reviewed_by == pw.cko and plan.approved_by == pw.ceo
    assert plan.reviewed_at and plan.approved_at and plan.approved_at >= plan.reviewed_at
    assert list(plan.events.values_list("action", flat=True)) == [
        PlanEvent.Action.CREATED, PlanEvent.Action.SUBMITTED, PlanEvent.Action.REVIEWED, PlanEvent.Action.APPROVED
    ]  # fmt: skip


def test_returns_need_comments_and_go_back_to_the_team(pw: SimpleNamespace) -> None:
    actions.submit(pw.plan, acting_user=pw.lead.user)
    with pytest.raises(ActionRefused):  # the CEO does not act on a submitted plan
        actions.return_plan(pw.plan, acting_user=pw.ceo.user, comment="แก้ไข")
    with pytest.raises(InvalidAction):
        actions.return_plan(pw.plan, acting_user=pw.cko.user, comment="  ")
    actions.return_plan(pw.plan, acting_user=pw.cko.user, comment="เพิ่มตัวชี้วัดของกิจกรรมที่ 2")
    plan = reload(pw.plan)
    assert plan.state == Plan.State.RETURNED and plan.is_editable
    assert plan.return_comment == "เพิ่มตัวชี้วัดของกิจกรรมที่ 2"
    # Back through the CKO, then the CEO returns it.
    actions.submit(plan, acting_user=pw.lead.user)
    actions.review(plan, acting_user=pw.cko.user)
    with pytest.raises(ActionRefused):
        actions.return_plan(plan, acting_user=pw.cko.user, comment="x")
    actions.return_plan(plan, acting_user=pw.ceo.user, comment="ทบทวนงบประมาณ")
    assert reload(plan).state == Plan.State.RETURNED


def test_an_approved_plan_cannot_be_changed(pw: SimpleNamespace) -> None:
    plan = approve_fully(pw)
    with pytest.raises(ActionRefused):
        tables.apply(plan, tables.SPECS["issues"], _post_issues(plan, "เปลี่ยนชื่อ"), acting_user=pw.lead.user)
    with pytest.raises(ActionRefused):
        actions.set_chosen(plan, sheet=2, chosen_ids=[pw.kpi1.pk], acting_user=pw.lead.user)
    assert plan.issues.first().name == "พัฒนาคุณภาพผู้เรียน"


def test_the_amendment_cycle(pw: SimpleNamespace) -> None:
    plan = approve_fully(pw)
    with pytest.raises(ActionRefused):
        actions.amend(plan, acting_user=pw.member.user)
    new = actions.amend(plan, acting_user=pw.lead.user)
    assert (new.revision, new.state, new.amends_id) == (2, Plan.State.DRAFT, plan.pk)
    assert new.activities.count() == 2 and new.issues.count() == 2 and new.kpis.count() == 4
    assert reload(plan).state == Plan.State.APPROVED  # still in force
    with pytest.raises(InvalidAction):  # one amendment at a time
        actions.amend(plan, acting_user=pw.lead.user)
    tables.apply(
        new, tables.SPECS["issues"], _post_issues(new, "พัฒนาคุณภาพผู้เรียน (ปรับปรุง)"), acting_user=pw.lead.user
    )
    actions.submit(new, acting_user=pw.lead.user)
    actions.review(new, acting_user=pw.cko.user)
    actions.approve(new, acting_user=pw.ceo.user)
    assert reload(new).state == Plan.State.APPROVED
    assert reload(plan).state == Plan.State.SUPERSEDED
    assert plan.issues.first().name == "พัฒนาคุณภาพผู้เรียน"  # the old revision is unchanged
    assert reload(new).issues.first().name == "พัฒนาคุณภาพผู้เรียน (ปรับปรุง)"


def _post_issues(plan: Plan, first_name: str) -> dict[str, str]:
    from django.http import QueryDict

    spec = tables.SPECS["issues"]
    issues = list(spec.queryset(plan))
    data = QueryDict(mutable=True)
    data.update({"issues-TOTAL_FORMS": str(len(issues)), "issues-INITIAL_FORMS": str(len(issues)),
                 "issues-MIN_NUM_FORMS": "0", "issues-MAX_NUM_FORMS": "500", "base": spec.fingerprint(plan), "op": "save"})  # fmt: skip
    for i, issue in enumerate(issues):
        data.update({f"issues-{i}-id": str(issue.pk), f"issues-{i}-name": first_name if i == 0 else issue.name,
                     f"issues-{i}-goal": issue.goal, f"issues-{i}-team": ""})  # fmt: skip
    return data
