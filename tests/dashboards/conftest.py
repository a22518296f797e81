"""A district office with two schools (the `world`'s org A and a sibling), and helpers that
write what the dashboards count with plain ORM calls."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from platu.communities.models import Attendance, Community, Session
from platu.knowledge.models import Item
from platu.lib import thaidate
from platu.orgs.models import Organisation, Person
from platu.planning.models import Activity, Plan
from platu.tracking.models import Entry, Round
from tests.conftest import make_person


@pytest.fixture
def fy() -> int:
    return thaidate.fiscal_year(timezone.localdate())


def moment(fy: int, month: int = 11, day: int = 15) -> dt.datetime:
    """A time in the fiscal year (November by default), in Thai time."""
    start, _end = thaidate.fiscal_year_bounds(fy)
    year = start.year if month >= 10 else start.year + 1
    return timezone.make_aware(dt.datetime(year, month, day, 10, 0))


def publish(org: Organisation, owner: Person, title: str, fy: int, *, visibility: str = "organisation",
            month: int = 11) -> Item:  # fmt: skip
    at = moment(fy, month)
    item = Item.objects.create(organisation=org, owner=owner, title=title, state="published",
                               visibility=visibility, published_at=at, reviewed_at=at)  # fmt: skip
    Item.objects.filter(pk=item.pk).update(created_at=at)
    return item


def session_with(
    org: Organisation, people: list[Person], fy: int, *, hours: str = "1.50", month: int = 11
) -> Session:
    cop = Community.objects.filter(organisation=org).first() or Community.objects.create(
        organisation=org, name=f"PLC {org.code}", kind="plc"
    )
    start = moment(fy, month)
    session = Session.objects.create(community=cop, title="วง PLC", starts_at=start,
                                     ends_at=start + dt.timedelta(minutes=90), state="held")  # fmt: skip
    for person in people:
        Attendance.objects.create(session=session, person=person, hours=Decimal(hours))
    return session


def plan_with_round(
    org: Organisation, fy: int, percents: list[int], *, status: str = "in_progress"
) -> list[Entry]:
    plan = Plan.objects.create(organisation=org, fiscal_year=fy, state="approved")
    start, end = thaidate.round_bounds(fy, 6)
    row = Round.objects.create(plan=plan, months=6, period_start=start, period_end=end, due_date=end)
    entries = []
    for n, pct in enumerate(percents):
        activity = Activity.objects.create(plan=plan, name=f"กิจกรรมที่ {n + 1}", start=start, end=end)
        entries.append(Entry.objects.create(round=row, activity=activity, status=status, percent=pct))
    return entries


@pytest.fixture
def net(world: SimpleNamespace) -> SimpleNamespace:
    """The world, plus a sibling school under the same district office with its own teacher."""
    sibling = Organisation.objects.create(
        code="org-c", kind="school", name_th="โรงเรียนบ้านซี", parent=world.parent
    )
    teacher = make_person("sibling", "ชูใจ", "ใฝ่ดี", org=sibling, roles=["ceo"])
    world.sibling, world.sibling_teacher = sibling, teacher
    for org in (world.parent, world.a, world.b, sibling):
        org.refresh_from_db()
    return world


def client_for(person: Person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client
