from types import SimpleNamespace
from typing import Any

from django.test import Client
from django.urls import reverse

from platu.orgs.models import Organisation, Team, TeamMember
from tests.conftest import make_person


def test_it_shows_members_teams_and_children(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.supervisor.user)
    response = client.get(reverse("organisation_detail", args=[world.parent.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "นายวีระ กล้าหาญ" in html
    assert "โรงเรียนบ้านเอ" in html  # child organisation
    assert "โรงเรียนบ้านบี" not in html


def test_admins_see_editing_buttons_and_members_do_not(client: Client, world: SimpleNamespace) -> None:
    url = reverse("organisation_detail", args=[world.a.code])
    client.force_login(world.owner.user)
    assert reverse("member_invite", args=[world.a.code]) in client.get(url).content.decode()
    client.force_login(world.member.user)
    html = client.get(url).content.decode()
    assert reverse("member_invite", args=[world.a.code]) not in html
    assert "ทีม KM โรงเรียนบ้านเอ" in html


def _grow(org: Organisation, n: int) -> None:
    team = Team.objects.create(organisation=org, kind="brain_bank", name=f"คลังสมอง {n}")
    for i in range(n):
        person = make_person(f"p{n}-{i}", f"ครู{i}", "ทดสอบ", org=org, roles=["km_member", "practitioner"])
        TeamMember.objects.create(team=team, person=person)
        Organisation.objects.create(code=f"child-{n}-{i}", name_th=f"หน่วย {i}", parent=org)


def test_query_count_does_not_grow_with_members(
    client: Client, world: SimpleNamespace, django_assert_num_queries: Any
) -> None:
    client.force_login(world.owner.user)
    url = reverse("organisation_detail", args=[world.a.code])
    _grow(world.a, 3)
    client.get(url)  # warm the session
    with django_assert_num_queries(14):  # 13, and the awards' ผลงานเด่น (one query)
        client.get(url)
    _grow(world.a, 12)
    with django_assert_num_queries(14):
        response = client.get(url)
    assert response.content.decode().count("ครู11") >= 2  # member list and team list
