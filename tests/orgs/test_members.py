import re
from types import SimpleNamespace
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from platu.accounts.models import User
from platu.audit.models import AuditEntry
from platu.orgs.models import Membership, Person
from tests.conftest import make_person


def test_an_admin_adds_an_existing_person_with_roles(client: Client, world: SimpleNamespace) -> None:
    newcomer = make_person("newcomer", "อารี", "สุขใจ", org=world.parent)
    client.force_login(world.owner.user)
    response = client.post(
        reverse("member_add", args=[world.a.code]),
        {"person": newcomer.pk, "roles": ["km_member"], "km_roles": ["facilitator"]},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(organisation=world.a, person=newcomer)
    assert sorted(membership.roles + membership.km_roles) == ["facilitator", "km_member"]
    entry = AuditEntry.objects.get(action="membership.add")
    assert entry.organisation == world.a
    assert entry.actor == world.owner.user
    assert entry.data["roles"] == ["km_member"]


def test_a_person_the_admin_cannot_see_cannot_be_added(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.owner.user)
    response = client.post(reverse("member_add", args=[world.a.code]), {"person": world.outsider.pk})
    assert response.status_code == 200
    assert not Membership.objects.filter(organisation=world.a, person=world.outsider).exists()


def test_an_admin_invites_a_new_member_who_gets_an_email(
    client: Client, world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.owner.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("member_invite", args=[world.a.code]),
            {
                "title": "นาง",
                "first_name": "สุดา",
                "last_name": "รักเรียน",
                "email": "Suda.R@example.go.th",
                "position": "ครูชำนาญการ",
                "roles": ["secretary"],
                "km_roles": ["note_taker"],
            },
        )
    assert response.status_code == 302
    person = Person.objects.get(first_name="สุดา")
    assert person.user is not None and person.user.email == "suda.r@example.go.th"
    assert not person.user.has_usable_password()
    assert Membership.objects.get(person=person).roles == ["secretary"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["suda.r@example.go.th"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert person.user.username in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="membership.invite", organisation=world.a).exists()


def test_inviting_a_registered_email_is_refused_and_keeps_the_form(
    client: Client, world: SimpleNamespace
) -> None:
    client.force_login(world.owner.user)
    response = client.post(
        reverse("member_invite", args=[world.a.code]),
        {"first_name": "ซ้ำ", "last_name": "อีเมล", "email": "outsider@example.go.th"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "ซ้ำ" in html  # what was typed is still there
    assert User.objects.filter(email__iexact="outsider@example.go.th").count() == 1
    assert len(mail.outbox) == 0


def test_an_admin_edits_roles_and_the_change_is_audited(client: Client, world: SimpleNamespace) -> None:
    membership = Membership.objects.get(organisation=world.a, person=world.member)
    client.force_login(world.owner.user)
    response = client.post(
        reverse("member_edit", args=[world.a.code, membership.pk]),
        {"version": membership.version, "roles": ["km_lead"], "km_roles": ["facilitator", "note_taker"]},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.version == 2
    assert sorted(r.role for r in membership.role_rows.all()) == ["facilitator", "km_lead", "note_taker"]
    entry = AuditEntry.objects.get(action="membership.roles")
    assert entry.data == {"before": ["member"], "after": ["facilitator", "km_lead", "note_taker"]}


def test_a_stale_role_edit_gets_a_conflict_not_an_overwrite(client: Client, world: SimpleNamespace) -> None:
    membership = Membership.objects.get(organisation=world.a, person=world.member)
    url = reverse("member_edit", args=[world.a.code, membership.pk])
    client.force_login(world.owner.user)
    first = client.post(url, {"version": 1, "roles": ["secretary"]})
    assert first.status_code == 302
    second = client.post(url, {"version": 1, "roles": ["km_member"], "km_roles": ["practitioner"]})
    html = second.content.decode()
    assert second.status_code == 200
    assert Membership.objects.get(pk=membership.pk).roles == ["secretary"]
    assert 'name="version" value="2"' in html  # saving again is a deliberate choice
    assert re.search(r'value="practitioner"[^>]*checked', html)  # my choice is still chosen


def test_the_last_admin_cannot_drop_their_admin_role(client: Client, world: SimpleNamespace) -> None:
    membership = Membership.objects.get(organisation=world.a, person=world.owner)
    client.force_login(world.owner.user)
    response = client.post(
        reverse("member_edit", args=[world.a.code, membership.pk]), {"version": 1, "roles": ["member"]}
    )
    assert response.status_code == 200
    assert Membership.objects.get(pk=membership.pk).roles == ["ceo"]
    response = client.post(reverse("member_remove", args=[world.a.code, membership.pk]))
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_admin_removes_a_member_and_their_team_seats(client: Client, world: SimpleNamespace) -> None:
    membership = Membership.objects.get(organisation=world.a, person=world.member)
    world.team.members.create(person=world.member, role="member")
    client.force_login(world.owner.user)
    response = client.post(reverse("member_remove", args=[world.a.code, membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not world.team.members.filter(person=world.member).exists()
    assert AuditEntry.objects.filter(action="membership.remove", organisation=world.a).exists()
