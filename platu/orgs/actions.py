"""Every change to organisations, people, memberships and teams goes through here.

Each action checks permission, runs in one transaction, writes an audit row and
defers side effects (e-mail) to commit. Views, commands and the admin's own
screens call these; they never save these objects themselves.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from platu.accounts.models import User
from platu.audit.log import record
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.orgs import access
from platu.orgs.models import (
    ADMIN_ROLES,
    KMRole,
    Membership,
    MembershipRole,
    Organisation,
    Person,
    Role,
    Team,
    TeamMember,
    TeamRole,
)


def _lock_version(model: type[models.Model], pk: int, expected: int | None) -> None:
    """Refuse a save based on an old version (a concurrent edit)."""
    current = (
        model._default_manager.select_for_update().filter(pk=pk).values_list("version", flat=True).first()
    )
    if current is None:
        raise InvalidAction(_("This record no longer exists."))
    if expected is not None and current != expected:
        raise EditConflict(current)


def _clean_roles(roles: Iterable[str], km_roles: Iterable[str]) -> tuple[list[str], list[str]]:
    roles = sorted(set(roles))
    km_roles = sorted(set(km_roles))
    for role in roles:
        if role not in Role.values:
            raise InvalidAction(_("Unknown role: %(role)s") % {"role": role}, field="roles")
    for role in km_roles:
        if role not in KMRole.values:
            raise InvalidAction(_("Unknown KM role: %(role)s") % {"role": role}, field="km_roles")
    return roles, km_roles


def _admin_count(org: Organisation, *, excluding: Membership | None = None) -> int:
    qs = Membership.objects.filter(organisation=org, role_rows__role__in=ADMIN_ROLES)
    if excluding is not None:
        qs = qs.exclude(pk=excluding.pk)
    return qs.distinct().count()


def _last_admin_message() -> str:
    return _("The organisation would be left without an administrator (CEO, CKO, KM team lead or secretary).")


# Organisations --------------------------------------------------------------


@transaction.atomic
def create_organisation(
    *,
    code: str,
    kind: str,
    name_th: str,
    name_en: str = "",
    parent: Organisation | None = None,
    thai_digits: bool = False,
    acting_user: Any,
) -> Organisation:
    """Site staff create any organisation; an organisation's admins create its children."""
    if not getattr(acting_user, "is_staff", False):
        if parent is None:
            raise ActionRefused(_("Only site staff may create a top-level organisation."))
        access.require_admin(acting_user, parent)
    if Organisation.objects.filter(code=code).exists():
        raise InvalidAction(_("The code %(code)s is already in use.") % {"code": code}, field="code")
    org = Organisation.objects.create(
        code=code,
        kind=kind,
        name_th=name_th,
        name_en=name_en,
        parent=parent,
        thai_digits=thai_digits,
    )
    record("org.create", actor=acting_user, obj=org, organisation=org)
    return org


ORGANISATION_FIELDS = (
    "name_th",
    "name_en",
    "kind",
    "thai_digits",
    "default_visibility",
    "review_quorum",
    "logo",
)


@transaction.atomic
def update_organisation(
    org: Organisation, *, acting_user: Any, version: int | None, **fields: Any
) -> Organisation:
    access.require_admin(acting_user, org)
    _lock_version(Organisation, org.pk, version)
    changed = {}
    for name, value in fields.items():
        if name not in ORGANISATION_FIELDS:
            raise InvalidAction(f"cannot change {name}")
        if getattr(org, name) != value:
            changed[name] = str(value) if name != "thai_digits" else value
            setattr(org, name, value)
    org.version += 1
    org.save()
    record("org.update", actor=acting_user, obj=org, organisation=org, data={"changed": changed})
    return org


# People and memberships ------------------------------------------------------

PERSON_FIELDS = ("title", "first_name", "last_name", "position", "phone", "email", "expertise")


@transaction.atomic
def update_person(person: Person, *, acting_user: Any, version: int | None, **fields: Any) -> Person:
    if not access.can_edit_person(acting_user, person):
        raise ActionRefused(_("You may not edit this person's details."))
    _lock_version(Person, person.pk, version)
    changed = {}
    for name, value in fields.items():
        if name not in PERSON_FIELDS:
            raise InvalidAction(f"cannot change {name}")
        if getattr(person, name) != value:
            changed[name] = value
            setattr(person, name, value)
    person.version += 1
    person.save()
    for membership in person.memberships.all():
        record(
            "person.update",
            actor=acting_user,
            obj=person,
            organisation=membership.organisation,
            data={"changed": sorted(changed)},
        )
    return person


def _set_roles(membership: Membership, roles: list[str], km_roles: list[str]) -> None:
    MembershipRole.objects.filter(membership=membership).delete()
    MembershipRole.objects.bulk_create(
        MembershipRole(membership=membership, role=role) for role in roles + km_roles
    )


@transaction.atomic
def add_member(
    org: Organisation,
    person: Person,
    *,
    roles: Iterable[str] = (Role.MEMBER,),
    km_roles: Iterable[str] = (),
    acting_user: Any,
) -> Membership:
    access.require_admin(acting_user, org)
    role_list, km_list = _clean_roles(roles, km_roles)
    if Membership.objects.filter(organisation=org, person=person).exists():
        raise InvalidAction(_("%(person)s is already a member of %(org)s.") % {"person": person, "org": org})
    membership = Membership.objects.create(organisation=org, person=person)
    _set_roles(membership, role_list, km_list)
    if person.user_id:
        access.forget(person.user)
    record(
        "membership.add",
        actor=acting_user,
        obj=membership,
        organisation=org,
        data={"person": person.pk, "roles": role_list, "km_roles": km_list},
    )
    return membership


def _unique_username(email: str) -> str:
    base = "".join(c for c in email.split("@")[0].lower() if c.isalnum() or c in "._-")[:30] or "user"
    candidate = base
    while User.objects.filter(username__iexact=candidate).exists():
        candidate = f"{base}{secrets.randbelow(9000) + 1000}"
    return candidate


def invitation_link(user: User) -> str:
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return settings.PLATU_BASE_URL.rstrip("/") + path


@transaction.atomic
def invite_member(
    org: Organisation,
    *,
    title: str,
    first_name: str,
    last_name: str,
    email: str,
    position: str = "",
    phone: str = "",
    roles: Iterable[str] = (Role.MEMBER,),
    km_roles: Iterable[str] = (),
    acting_user: Any,
) -> Membership:
    """A new person with an account; they get an e-mail to set their password."""
    access.require_admin(acting_user, org)
    role_list, km_list = _clean_roles(roles, km_roles)
    email = email.strip().lower()
    if (
        User.objects.filter(email__iexact=email).exists()
        or Person.objects.filter(email__iexact=email).exists()
    ):
        raise InvalidAction(
            _("Someone with this e-mail is already registered. Use “Add an existing person” instead."),
            field="email",
        )
    user = User(username=_unique_username(email), email=email)
    user.set_unusable_password()
    try:
        user.save()
    except IntegrityError as exc:  # pragma: no cover - race on the username
        raise InvalidAction(_("Please try again.")) from exc
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    person = Person.objects.create(
        user=user,
        title=title,
        first_name=first_name,
        last_name=last_name,
        email=email,
        position=position,
        phone=phone,
    )
    membership = Membership.objects.create(organisation=org, person=person)
    _set_roles(membership, role_list, km_list)
    record(
        "membership.invite",
        actor=acting_user,
        obj=membership,
        organisation=org,
        data={"person": person.pk, "email": email, "roles": role_list, "km_roles": km_list},
    )
    inviter = str(access.person_of(acting_user) or acting_user.get_username())
    from platu.orgs.tasks import send_invitation

    transaction.on_commit(lambda: send_invitation.enqueue(user.pk, org.pk, inviter))
    return membership


@transaction.atomic
def set_member_roles(
    membership: Membership,
    *,
    roles: Iterable[str],
    km_roles: Iterable[str],
    acting_user: Any,
    version: int | None,
) -> Membership:
    org = membership.organisation
    access.require_admin(acting_user, org)
    role_list, km_list = _clean_roles(roles, km_roles)
    _lock_version(Membership, membership.pk, version)
    before = sorted(r.role for r in MembershipRole.objects.filter(membership=membership))
    leaves_no_admin = not any(r in ADMIN_ROLES for r in role_list) and not acting_user.is_staff
    if leaves_no_admin and _admin_count(org, excluding=membership) == 0:
        raise InvalidAction(_last_admin_message(), field="roles")
    _set_roles(membership, role_list, km_list)
    membership.version += 1
    membership.save(update_fields=["version"])
    if membership.person.user_id:
        access.forget(membership.person.user)
    access.forget(acting_user)
    record(
        "membership.roles",
        actor=acting_user,
        obj=membership,
        organisation=org,
        data={"before": before, "after": sorted(role_list + km_list)},
    )
    return membership


@transaction.atomic
def remove_member(membership: Membership, *, acting_user: Any) -> None:
    org = membership.organisation
    access.require_admin(acting_user, org)
    if membership.is_admin and not acting_user.is_staff and _admin_count(org, excluding=membership) == 0:
        raise InvalidAction(_last_admin_message())
    person = membership.person
    TeamMember.objects.filter(team__organisation=org, person=person).delete()
    record(
        "membership.remove",
        actor=acting_user,
        obj=membership,
        organisation=org,
        data={"person": person.pk},
    )
    membership.delete()
    if person.user_id:
        access.forget(person.user)


# Teams and committees ---------------------------------------------------------

TEAM_FIELDS = ("kind", "name", "description", "strategic_issue", "goal", "needed_knowledge", "order")


@transaction.atomic
def create_team(org: Organisation, *, acting_user: Any, **fields: Any) -> Team:
    access.require_admin(acting_user, org)
    unknown = set(fields) - set(TEAM_FIELDS)
    if unknown:
        raise InvalidAction(f"unknown fields {sorted(unknown)}")
    team = Team.objects.create(organisation=org, **fields)
    record("team.create", actor=acting_user, obj=team, organisation=org, data={"kind": team.kind})
    return team


@transaction.atomic
def update_team(team: Team, *, acting_user: Any, version: int | None, **fields: Any) -> Team:
    access.require_admin(acting_user, team.organisation)
    _lock_version(Team, team.pk, version)
    changed = {}
    for name, value in fields.items():
        if name not in TEAM_FIELDS:
            raise InvalidAction(f"cannot change {name}")
        if getattr(team, name) != value:
            changed[name] = value
            setattr(team, name, value)
    team.version += 1
    team.save()
    record(
        "team.update",
        actor=acting_user,
        obj=team,
        organisation=team.organisation,
        data={"changed": sorted(changed)},
    )
    return team


@transaction.atomic
def delete_team(team: Team, *, acting_user: Any) -> None:
    access.require_admin(acting_user, team.organisation)
    record("team.delete", actor=acting_user, obj=team, organisation=team.organisation)
    team.delete()


def eligible_team_people(org: Organisation) -> models.QuerySet[Person]:
    """Members of the organisation and of its child organisations (agency teams)."""
    subtree = Organisation.objects.descendants_of(org, include_self=True)
    return Person.objects.filter(memberships__organisation__in=subtree).distinct()


@transaction.atomic
def add_team_member(
    team: Team, person: Person, *, role: str = TeamRole.MEMBER, acting_user: Any
) -> TeamMember:
    access.require_admin(acting_user, team.organisation)
    if role not in TeamRole.values:
        raise InvalidAction(_("Unknown role: %(role)s") % {"role": role}, field="role")
    if not eligible_team_people(team.organisation).filter(pk=person.pk).exists():
        raise InvalidAction(
            _("%(person)s is not a member of %(org)s or of its units.")
            % {"person": person, "org": team.organisation},
            field="person",
        )
    if TeamMember.objects.filter(team=team, person=person).exists():
        raise InvalidAction(_("%(person)s is already in this team.") % {"person": person}, field="person")
    order = (TeamMember.objects.filter(team=team).aggregate(m=models.Max("order"))["m"] or 0) + 1
    member = TeamMember.objects.create(team=team, person=person, role=role, order=order)
    record(
        "team.member_add",
        actor=acting_user,
        obj=team,
        organisation=team.organisation,
        data={"person": person.pk, "role": role},
    )
    return member


@transaction.atomic
def set_team_member_role(member: TeamMember, *, role: str, acting_user: Any) -> TeamMember:
    team = member.team
    access.require_admin(acting_user, team.organisation)
    if role not in TeamRole.values:
        raise InvalidAction(_("Unknown role: %(role)s") % {"role": role}, field="role")
    before = member.role
    member.role = role
    member.save()
    record(
        "team.member_role",
        actor=acting_user,
        obj=team,
        organisation=team.organisation,
        data={"person": member.person_id, "before": before, "after": role},
    )
    return member


@transaction.atomic
def remove_team_member(member: TeamMember, *, acting_user: Any) -> None:
    team = member.team
    access.require_admin(acting_user, team.organisation)
    record(
        "team.member_remove",
        actor=acting_user,
        obj=team,
        organisation=team.organisation,
        data={"person": member.person_id},
    )
    member.delete()
