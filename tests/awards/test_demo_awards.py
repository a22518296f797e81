"""The demo: a closed school-level round with winners and certificates, one forwarded to the
district's open programme; built once however often the demo runs."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from platu.awards.models import Award, Certificate, Nomination, Programme


def test_the_demo_has_an_announced_school_round_and_an_open_district_round(db: Any) -> None:
    call_command("platu_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("platu_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    school = Programme.objects.get(organisation__code="sch-nongbua")
    district = Programme.objects.get(organisation__code="snk-pesa1")
    assert school.state == Programme.State.ANNOUNCED and district.state == Programme.State.OPEN
    assert Award.objects.filter(programme=school).count() == 3
    assert Certificate.objects.filter(award__programme=school).count() >= 3
    forwarded = Nomination.objects.get(programme=district)
    assert forwarded.kind == Nomination.Kind.FORWARDED and forwarded.forwarded_from.programme_id == school.pk
    assert forwarded.files.count() == 1
