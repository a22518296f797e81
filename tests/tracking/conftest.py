"""Monitoring fixtures: org A's approved 2569 plan (from the planning fixtures) with its two
activities, a teacher responsible for the first."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from platu.planning.models import Plan
from platu.tracking.models import ActivityOwner
from tests.conftest import make_person
from tests.planning.conftest import pw as pw


@pytest.fixture
def tw(pw: SimpleNamespace) -> SimpleNamespace:
    Plan.objects.filter(pk=pw.plan.pk).update(state=Plan.State.APPROVED)
    pw.plan.refresh_from_db()
    pw.teacher = make_person(
        "teacher7", "สุดา", "ตั้งใจ", org=pw.a, roles=["member"], title="นาง", position="ครู"
    )
    ActivityOwner.objects.create(activity=pw.act1, person=pw.teacher)
    return pw
