"""Build (or refresh) the fictional demo network. Idempotent.

    python manage.py platu_demo          # build it, print the logins
    python manage.py platu_demo --list   # username, name, organisation, roles (TSV)

The demo is a fixture, not user activity: it writes with the ORM directly
and leaves no audit rows.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from platu.accounts.models import User
from platu.awards import demo as awards_demo
from platu.communities import demo as communities_demo
from platu.competency import demo as competency_demo
from platu.knowledge import demo as knowledge_demo
from platu.orgs import demo
from platu.orgs.models import (
    KMRole,
    Membership,
    MembershipRole,
    Organisation,
    Person,
    Role,
    Team,
    TeamMember,
)
from platu.planning import demo as planning_demo
from platu.privacy import demo as privacy_demo
from platu.surveys import demo as surveys_demo
from platu.tracking import demo as tracking_demo


def demo_password() -> str:
    return settings.PLATU_DEMO_PASSWORD or demo.DEFAULT_PASSWORD


class Command(BaseCommand):
    help = "Build the fictional demo organisation network (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--list", action="store_true", help="print the demo accounts as TSV")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self.print_list()
            return
        self.build()
        # The dashboards' figures, counted now rather than left to the task queue: this year and last.
        from django.utils import timezone

        from platu.dashboards import refresh
        from platu.lib import thaidate

        year = thaidate.fiscal_year(timezone.localdate())
        for fiscal_year in (year - 1, year):
            refresh.rebuild(fiscal_year)
        counts = knowledge_demo.summary()
        password = demo_password()
        note = "" if settings.PLATU_DEMO_PASSWORD else " (default; set PLATU_DEMO_PASSWORD to change)"
        self.stdout.write(
            f"Demo network ready: {len(demo.ORGANISATIONS)} organisations, "
            f"{len(demo.PEOPLE)} people, {len(demo.TEAMS)} teams, {counts['items']} knowledge items."
        )
        self.stdout.write(f"Password for every demo account: {password}{note}")
        self.stdout.write(f"Site staff account: {demo.STAFF_USERNAME}")

    @transaction.atomic
    def build(self) -> None:
        hashed = make_password(demo_password())  # one hash for all: fast and idempotent
        orgs: dict[str, Organisation] = {}
        for code, kind, name_th, name_en, parent, thai_digits in demo.ORGANISATIONS:
            org = Organisation.objects.filter(code=code).first() or Organisation(code=code)
            org.kind, org.name_th, org.name_en = kind, name_th, name_en
            org.parent = orgs[parent] if parent else None
            org.thai_digits = thai_digits
            org.save()
            orgs[code] = org

        staff, _ = User.objects.get_or_create(username=demo.STAFF_USERNAME)
        staff.is_staff = staff.is_superuser = True
        staff.email = "admin@platu.invalid"
        staff.password = hashed
        staff.save()

        people: dict[str, Person] = {}
        for username, title, first, last, position, phone, memberships, expertise in demo.PEOPLE:
            email = f"{username}@platu.invalid"
            user, _ = User.objects.get_or_create(username=username)
            user.email, user.password = email, hashed
            user.first_name, user.last_name = first, last
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"primary": True, "verified": True}
            )
            person = Person.objects.filter(user=user).first() or Person(user=user)
            person.title, person.first_name, person.last_name = title, first, last
            person.position, person.phone, person.email = position, phone, email
            person.expertise = expertise
            person.save()
            people[username] = person
            wanted = {code for code, _, _ in memberships}
            Membership.objects.filter(person=person).exclude(organisation__code__in=wanted).delete()
            for code, roles, km_roles in memberships:
                assert all(r in Role.values for r in roles) and all(r in KMRole.values for r in km_roles)
                membership, _ = Membership.objects.get_or_create(person=person, organisation=orgs[code])
                MembershipRole.objects.filter(membership=membership).delete()
                MembershipRole.objects.bulk_create(
                    MembershipRole(membership=membership, role=r) for r in roles + km_roles
                )

        for order, (code, kind, name, issue, goal, members) in enumerate(demo.TEAMS, start=1):
            team, _ = Team.objects.get_or_create(organisation=orgs[code], name=name, defaults={"kind": kind})
            team.kind, team.strategic_issue, team.goal, team.order = kind, issue, goal, order
            team.save()
            TeamMember.objects.filter(team=team).delete()
            for position, (username, role) in enumerate(members, start=1):
                TeamMember.objects.create(team=team, person=people[username], role=role, order=position)

        knowledge_demo.build(people)
        plans = planning_demo.build(people)
        communities_demo.build(people)
        tracking_demo.build(people, plans["approved"])
        surveys_demo.build(people)
        awards_demo.build(people)
        competency_demo.build(people)
        privacy_demo.build(people)

    def print_list(self) -> None:
        self.stdout.write("username\tname\torganisation\troles")
        usernames = [row[0] for row in demo.PEOPLE]
        memberships = (
            Membership.objects.filter(person__user__username__in=usernames)
            .select_related("person__user", "organisation")
            .prefetch_related("role_rows")
        )
        by_user: dict[str, list[Membership]] = {}
        for m in memberships:
            by_user.setdefault(m.person.user.username, []).append(m)  # type: ignore[union-attr]
        for username in usernames:
            for m in sorted(by_user.get(username, []), key=lambda m: m.organisation.code):
                roles = ",".join(m.roles + m.km_roles)
                self.stdout.write(f"{username}\t{m.person.full_name}\t{m.organisation.code}\t{roles}")
        if User.objects.filter(username=demo.STAFF_USERNAME, is_staff=True).exists():
            self.stdout.write(f"{demo.STAFF_USERNAME}\tผู้ดูแลระบบ (site staff)\t-\tstaff")
