"""Every module's router reads through the pages' access helpers: what the caller's organisation
may not see is 404, what it may see answers with the pages' numbers."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from platu.accounts import tokens
from platu.audit.models import AuditEntry
from platu.communities.models import Community
from platu.lib import thaidate
from platu.planning.models import Plan

API = "/api/v1"


def client_with_token(user: Any) -> Client:
    _token, key = tokens.issue(user, "t", scopes=("read",), days=1, acting_user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_plans_communities_rounds_dashboards_surveys(world: Any) -> None:
    year = thaidate.fiscal_year(timezone.localdate())
    Plan.objects.create(organisation=world.a, fiscal_year=year)
    community = Community.objects.create(organisation=world.a, name="ชุมชนการอ่าน", visibility="organisation")
    member, outsider = client_with_token(world.member.user), client_with_token(world.outsider.user)

    plans = member.get(f"{API}/plans/org-a")
    assert plans.status_code == 200 and [p["fiscal_year"] for p in plans.json()] == [year]
    detail = member.get(f"{API}/plans/org-a/{year}").json()
    assert detail["state"] == "draft" and "worksheet1" in detail["documents"]
    assert outsider.get(f"{API}/plans/org-a").status_code == 404
    assert outsider.get(f"{API}/plans/org-a/{year}").status_code == 404
    assert member.get(f"{API}/plans/org-a/{year}/documents/nonsense/pdf").status_code == 404

    assert member.get(f"{API}/rounds/org-a/{year}").json() == []
    assert member.get(f"{API}/rounds/org-a/{year}/6").status_code == 404
    assert outsider.get(f"{API}/rounds/org-a/{year}").status_code == 404

    numbers = member.get(f"{API}/dashboards/org-a", {"year": year})
    assert numbers.status_code == 200 and len(numbers.json()["monthly"]) == 12
    assert outsider.get(f"{API}/dashboards/org-a").status_code == 404

    listed = member.get(f"{API}/communities/").json()
    assert [c["name"] for c in listed["results"]] == ["ชุมชนการอ่าน"]
    assert member.get(f"{API}/communities/{community.pk}/sessions").json()["count"] == 0
    assert outsider.get(f"{API}/communities/{community.pk}").status_code == 404
    assert outsider.get(f"{API}/communities/").json()["count"] == 0
    assert member.get(f"{API}/sessions/999999").status_code == 404
    assert member.post(f"{API}/communities/{community.pk}/membership").status_code == 403  # a read token
    _t, key = tokens.issue(world.member.user, "w", scopes=("write",), days=1, acting_user=world.member.user)
    writer = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    joined = writer.post(f"{API}/communities/{community.pk}/membership")
    assert joined.status_code == 200, joined.content
    assert joined.json()["state"] in ("member", "requested")
    assert AuditEntry.objects.filter(action__startswith="community.", actor=world.member.user).exists()
    assert client_with_token(world.outsider.user).post(
        f"{API}/communities/{community.pk}/membership"
    ).status_code in (403, 404)

    assert member.get(f"{API}/surveys/999999/results").status_code == 404


def test_survey_results_for_its_manager(world: Any) -> None:
    from platu.surveys.models import Survey

    today = timezone.localdate()
    survey = Survey.objects.create(
        organisation=world.a, title="บรรยากาศการจัดการความรู้", opens_on=today, closes_on=today
    )
    owner = client_with_token(world.owner.user)
    answer = owner.get(f"{API}/surveys/{survey.pk}/results")
    assert answer.status_code == 200, answer.content
    assert answer.json()["responses"] == 0
    assert client_with_token(world.outsider.user).get(f"{API}/surveys/{survey.pk}/results").status_code == 404


def test_the_documentation_loads_nothing_from_another_host(db: Any) -> None:
    page = Client().get(f"{API}/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui" in html.lower()
    assert "cdn" not in html.lower() and 'src="http' not in html and 'href="http' not in html
    # Readable on a phone, in the page's language, with a way back.
    assert 'name="viewport"' in html and '<html lang="th">' in html and 'href="/"' in html
    schema = Client().get(f"{API}/openapi.json").json()
    assert "Bearer" in str(schema["components"]["securitySchemes"]) or "bearer" in str(schema).lower()
