from types import SimpleNamespace

from django.test import Client
from django.urls import reverse

from platu.audit.models import AuditEntry
from platu.orgs.models import Organisation, Team, TeamMember
from tests.conftest import make_person


def test_an_admin_creates_a_team_for_a_strategic_issue(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.owner.user)
    response = client.post(
        reverse("team_create", args=[world.a.code]),
        {
            "kind": "strategic",
            "name": "ทีม KM ประเด็นที่ 1",
            "strategic_issue": "การยกระดับผลสัมฤทธิ์ทางการเรียน",
            "goal": "นักเรียนอ่านออกเขียนได้",
        },
    )
    team = Team.objects.get(name="ทีม KM ประเด็นที่ 1")
    assert response.status_code == 302
    assert team.organisation == world.a and team.strategic_issue.startswith("การยกระดับ")
    assert AuditEntry.objects.filter(action="team.create", organisation=world.a).exists()


def test_team_members_come_from_the_organisation_and_its_units(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.supervisor.user)
    team = Team.objects.create(organisation=world.parent, kind="brain_bank", name="คลังสมองเขต")
    url = reverse("team_member_add", args=[world.parent.code, team.pk])
    # A member of a child school may sit on the office's brain bank...
    response = client.post(url, {"person": world.member.pk, "role": "member"})
    assert response.status_code == 302
    assert TeamMember.objects.filter(team=team, person=world.member).exists()
    # ...someone from an unrelated organisation may not.
    client.post(url, {"person": world.outsider.pk, "role": "member"})
    assert not TeamMember.objects.filter(team=team, person=world.outsider).exists()


def test_an_admin_changes_a_role_and_removes_a_member(client: Client, world: SimpleNamespace) -> None:
    member_seat = TeamMember.objects.create(team=world.team, person=world.member, role="member")
    client.force_login(world.owner.user)
    client.post(
        reverse("team_member_role", args=[world.a.code, world.team.pk, member_seat.pk]), {"role": "secretary"}
    )
    member_seat.refresh_from_db()
    assert member_seat.role == "secretary"
    client.post(reverse("team_member_remove", args=[world.a.code, world.team.pk, member_seat.pk]))
    assert not TeamMember.objects.filter(pk=member_seat.pk).exists()
    actions = list(AuditEntry.objects.filter(organisation=world.a).values_list("action", flat=True))
    assert "team.member_role" in actions and "team.member_remove" in actions


def test_the_team_sheet_lists_members_in_worksheet_order(client: Client, world: SimpleNamespace) -> None:
    secretary = make_person("sec", "ขวัญ", "ใจ", org=world.a)
    ceo = make_person("ceo2", "ผู้บริหาร", "สูงสุด", org=world.a)
    TeamMember.objects.create(team=world.team, person=secretary, role="secretary", order=1)
    TeamMember.objects.create(team=world.team, person=ceo, role="ceo", order=2)
    client.force_login(world.member.user)
    html = client.get(reverse("team_detail", args=[world.a.code, world.team.pk])).content.decode()
    assert html.index("ผู้บริหาร") < html.index("สมชาย") < html.index("ขวัญ")  # CEO, lead, secretary
    assert "owner@example.go.th" in html


def test_a_stale_team_edit_is_refused_with_both_versions(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.owner.user)
    url = reverse("team_edit", args=[world.a.code, world.team.pk])
    client.post(url, {"version": 1, "kind": "km_team", "name": "ชื่อใหม่ของฉัน"})
    response = client.post(url, {"version": 1, "kind": "km_team", "name": "ชื่อของอีกคน"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "ชื่อใหม่ของฉัน" in html and "ชื่อของอีกคน" in html
    assert Team.objects.get(pk=world.team.pk).name == "ชื่อใหม่ของฉัน"


def test_an_admin_deletes_a_team(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.owner.user)
    client.post(reverse("team_delete", args=[world.a.code, world.team.pk]))
    assert not Team.objects.filter(pk=world.team.pk).exists()
    assert Organisation.objects.filter(pk=world.a.pk).exists()
