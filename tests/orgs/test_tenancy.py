"""Every organisation-scoped page answers 404 to someone whose organisations may not see it."""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from platu.orgs.models import Membership, TeamMember


def org_urls(w: SimpleNamespace) -> list[tuple[str, str]]:
    """(method, url) of every page scoped to organisation A."""
    membership = Membership.objects.get(organisation=w.a, person=w.member)
    team_member = TeamMember.objects.get(team=w.team)
    a, t, tm = w.a.code, w.team.pk, team_member.pk
    return [
        ("get", reverse("organisation_detail", args=[a])),
        ("get", reverse("organisation_edit", args=[a])),
        ("post", reverse("organisation_edit", args=[a])),
        ("get", reverse("audit_log", args=[a])),
        ("get", reverse("member_add", args=[a])),
        ("post", reverse("member_add", args=[a])),
        ("get", reverse("member_invite", args=[a])),
        ("post", reverse("member_invite", args=[a])),
        ("get", reverse("member_edit", args=[a, membership.pk])),
        ("post", reverse("member_edit", args=[a, membership.pk])),
        ("post", reverse("member_remove", args=[a, membership.pk])),
        ("get", reverse("team_create", args=[a])),
        ("post", reverse("team_create", args=[a])),
        ("get", reverse("team_detail", args=[a, t])),
        ("get", reverse("team_edit", args=[a, t])),
        ("post", reverse("team_edit", args=[a, t])),
        ("post", reverse("team_delete", args=[a, t])),
        ("post", reverse("team_member_add", args=[a, t])),
        ("post", reverse("team_member_role", args=[a, t, tm])),
        ("post", reverse("team_member_remove", args=[a, t, tm])),
        ("get", reverse("directory") + f"?org={a}"),
        ("get", reverse("person_detail", args=[w.member.pk])),
        ("get", reverse("person_edit", args=[w.member.pk])),
        ("post", reverse("person_edit", args=[w.member.pk])),
    ]


def test_an_outsider_gets_404_on_every_page_of_another_organisation(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.outsider.user)
    for method, url in org_urls(world):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
    # Nothing changed.
    assert Membership.objects.filter(organisation=world.a).count() == 2
    assert TeamMember.objects.filter(team=world.team).count() == 1


def test_a_team_of_another_organisation_is_404_even_under_my_own_code(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.owner.user)
    assert client.get(reverse("team_detail", args=[world.a.code, world.b_team.pk])).status_code == 404
    b_member = Membership.objects.get(organisation=world.b)
    assert client.get(reverse("member_edit", args=[world.a.code, b_member.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client: Client, world: SimpleNamespace) -> None:
    response = client.get(reverse("organisation_detail", args=[world.a.code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_parent_organisation_reads_its_children(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.supervisor.user)
    response = client.get(reverse("organisation_detail", args=[world.a.code]))
    assert response.status_code == 200
    assert "มานี" in response.content.decode()
    assert client.get(reverse("team_detail", args=[world.a.code, world.team.pk])).status_code == 200
    # ...but does not edit them: that is for A's own admins.
    assert client.get(reverse("organisation_edit", args=[world.a.code])).status_code == 403
    # ...and a child does not read its parent.
    client.force_login(world.member.user)
    assert client.get(reverse("organisation_detail", args=[world.parent.code])).status_code == 404


@pytest.mark.parametrize(
    "name", ["organisation_edit", "member_add", "member_invite", "team_create", "audit_log"]
)
def test_a_plain_member_is_refused_editing_with_a_clear_message(
    client: Client, world: SimpleNamespace, name: str
) -> None:
    client.force_login(world.member.user)
    response = client.get(reverse(name, args=[world.a.code]))
    assert response.status_code == 403
    assert "CEO, CKO" in response.content.decode() or "ผู้บริหารสูงสุด" in response.content.decode()


def test_a_path_prefix_does_not_leak_to_a_longer_id(world: SimpleNamespace) -> None:
    from platu.orgs import access
    from platu.orgs.models import Organisation

    # Paths are primary keys: organisation 7 must not see organisation 77.
    Organisation.objects.filter(pk=world.b.pk).update(path="77/")
    Organisation.objects.filter(pk=world.parent.pk).update(path="7/")
    Organisation.objects.filter(pk=world.a.pk).update(path="7/8/")
    user = world.supervisor.user
    access.forget(user)
    visible = set(Organisation.objects.for_user(user).values_list("code", flat=True))
    assert visible == {"office", "org-a"}
    assert not access.can_see(user, Organisation.objects.get(pk=world.b.pk))
