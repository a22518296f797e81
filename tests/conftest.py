"""Shared fixtures: two organisations with an owner, a member and an outsider.

Built with plain ORM calls (no JSON fixtures), as healthchecks' BaseTestCase does.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test.utils import override_settings

from platu.accounts.models import User
from platu.orgs.models import Membership, MembershipRole, Organisation, Person, Team, TeamMember

PASSWORD = "ปลาทู-correct-horse-2569"


@pytest.fixture(autouse=True, scope="session")
def _test_settings() -> Any:
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"],
        WHITENOISE_USE_FINDERS=True,
        WHITENOISE_AUTOREFRESH=True,
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    ):
        yield


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    from platu.knowledge import counter

    with counter._lock:  # views buffered by this test's requests are not written later
        counter._buffer.clear()


def make_person(
    username: str,
    first_name: str,
    last_name: str,
    *,
    org: Organisation | None = None,
    roles: list[str] | None = None,
    title: str = "นาย",
    position: str = "",
    with_account: bool = True,
) -> Person:
    user = None
    if with_account:
        user = User.objects.create_user(username, f"{username}@example.go.th", PASSWORD)
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    person = Person.objects.create(
        user=user,
        title=title,
        first_name=first_name,
        last_name=last_name,
        position=position,
        email=f"{username}@example.go.th",
    )
    if org is not None:
        membership = Membership.objects.create(person=person, organisation=org)
        MembershipRole.objects.bulk_create(
            MembershipRole(membership=membership, role=r) for r in (roles or ["member"])
        )
    return person


@pytest.fixture
def world(db: Any) -> SimpleNamespace:
    """parent office > org A (owner, member); org B (outsider), unrelated."""
    parent = Organisation.objects.create(
        code="office", kind="district_education_office", name_th="สำนักงานเขตพื้นที่ทดสอบ"
    )
    a = Organisation.objects.create(code="org-a", kind="school", name_th="โรงเรียนบ้านเอ", parent=parent)
    b = Organisation.objects.create(code="org-b", kind="school", name_th="โรงเรียนบ้านบี")
    owner = make_person("owner", "สมชาย", "ใจดี", org=a, roles=["ceo"], position="ผู้อำนวยการ")
    member = make_person("member", "มานี", "มีนา", org=a, roles=["member"], title="นางสาว")
    outsider = make_person("outsider", "ปิติ", "ยินดี", org=b, roles=["ceo"])
    supervisor = make_person("supervisor", "วีระ", "กล้าหาญ", org=parent, roles=["cko"])
    team = Team.objects.create(organisation=a, kind="km_team", name="ทีม KM โรงเรียนบ้านเอ")
    TeamMember.objects.create(team=team, person=owner, role="lead")
    b_team = Team.objects.create(organisation=b, kind="brain_bank", name="คลังสมองโรงเรียนบ้านบี")
    TeamMember.objects.create(team=b_team, person=outsider, role="chair")
    return SimpleNamespace(
        parent=parent,
        a=a,
        b=b,
        owner=owner,
        member=member,
        outsider=outsider,
        supervisor=supervisor,
        team=team,
        b_team=b_team,
    )


@pytest.fixture(autouse=True)
def _search_pending() -> Any:
    """A test's transaction never commits: what it left to index on commit is dropped with it."""
    from platu.search import backends, pending

    pending.discard()
    backends.forget_counts()
    yield
    pending.discard()
