from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client

from platu.orgs.models import KMRole, MembershipRole, Organisation, Person, Role, Team, TeamMember


def run(*args: str) -> str:
    out = StringIO()
    call_command("platu_demo", *args, stdout=out)
    return out.getvalue()


def test_the_demo_builds_the_network_once_however_often_it_runs(db: Any, settings: Any) -> None:
    settings.PLATU_DEMO_PASSWORD = "ปลาทูแม่กลอง-2569"
    output = run()
    counts = (
        Organisation.objects.count(),
        Person.objects.count(),
        Team.objects.count(),
        TeamMember.objects.count(),
    )
    run()
    assert (
        Organisation.objects.count(),
        Person.objects.count(),
        Team.objects.count(),
        TeamMember.objects.count(),
    ) == counts
    assert "ปลาทูแม่กลอง-2569" in output
    assert Person.objects.count() >= 30
    province = Organisation.objects.get(code="snk")
    assert province.kind == "province" and province.children.count() == 4
    office = Organisation.objects.get(kind="district_education_office")
    assert office.children.filter(kind="school").count() == 3
    held = set(MembershipRole.objects.values_list("role", flat=True))
    assert set(Role.values) | set(KMRole.values) <= held
    assert set(Team.objects.values_list("kind", flat=True)) == set(Team.Kind.values)


def test_demo_accounts_log_in_with_the_shared_password(db: Any, settings: Any) -> None:
    settings.PLATU_DEMO_PASSWORD = ""
    output = run()
    assert "platu-demo-2569" in output
    client = Client()
    response = client.post("/accounts/login/", {"login": "somporn.j", "password": "platu-demo-2569"})
    assert response.status_code == 302


def test_the_list_is_a_tab_separated_table(db: Any) -> None:
    run()
    lines = run("--list").strip().splitlines()
    assert lines[0] == "username\tname\torganisation\troles"
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) == 4 for row in rows)
    assert ["sakda.w", "นายศักดา วงศ์ไพศาล", "snk", "ceo,enabler"] in rows
    assert len({row[0] for row in rows}) >= 30


def test_the_demo_has_an_approved_plan_scored_by_three_and_a_draft(db: Any) -> None:
    from platu.planning import scoring
    from platu.planning.demo import current_fiscal_year
    from platu.planning.models import Plan

    run()
    run()  # idempotent
    fy = current_fiscal_year()
    approved = Plan.objects.get(organisation__code="sch-nongbua", fiscal_year=fy)
    assert approved.state == Plan.State.APPROVED
    assert approved.reviewed_by and approved.approved_by and approved.submitted_by
    assert approved.activities.count() >= 12 and approved.issues.count() == 2
    matrix = scoring.build(approved, 2, issue_id=approved.issues.first().pk)
    assert len(matrix.scorers) == 3 and all(c.rank for c in matrix.columns)
    assert len(scoring.build(approved, 4).scorers) == 3
    assert Plan.objects.get(organisation__code="snk-pesa1", fiscal_year=fy).state == Plan.State.DRAFT


def test_the_public_pages_of_the_demo_are_not_empty(db: Any, settings: Any) -> None:
    from platu.knowledge.models import Item

    settings.PLATU_DEMO_PASSWORD = "ปลาทูแม่กลอง-2569"
    run()
    live = Item.objects.live()
    with_items = set(live.values_list("organisation__code", flat=True))
    public = set(live.filter(visibility="public").values_list("organisation__code", flat=True))
    assert with_items and public == with_items
    school = Organisation.objects.filter(kind="school", code__in=public).order_by("code").first()
    assert school is not None
    first = live.filter(organisation=school, visibility="public").order_by("-published_at").first()
    assert first is not None
    page = Client().get(f"/public/{school.code}/").content.decode()
    assert first.title in page


def test_the_demo_has_communities_with_past_and_upcoming_sessions(db: Any) -> None:
    from django.utils import timezone

    from platu.communities.models import Attendance, Community, Session, SessionRecord

    run()
    run()  # idempotent
    assert Community.objects.count() == 3
    assert Community.objects.filter(kind="network", visibility="network").exists()
    now = timezone.now()
    assert (
        Session.objects.filter(ends_at__lt=now).exists()
        and Session.objects.filter(starts_at__gt=now).exists()
    )
    assert Attendance.objects.filter(session__ends_at__lt=now).exists()
    record = SessionRecord.objects.filter(signed_at__isnull=False).first()
    assert record is not None and record.items.exists()
    from platu.communities.models import HoursPolicy, RecordFile, TermApproval

    photo = RecordFile.objects.get(session=record.session)
    assert photo.file.read().startswith(b"\x89PNG") and photo.content_type == "image/png"
    approval = TermApproval.objects.get()
    assert approval.hours > 0 and approval.approved_by is not None
    assert HoursPolicy.objects.get().minimum_hours == 40


def test_the_demo_school_has_a_closed_six_month_round_with_evidence(db: Any) -> None:
    from platu.tracking.models import Entry, Evidence, Round

    run()
    row = Round.objects.get()
    assert row.months == 6 and row.state == "closed" and row.closed_by is not None
    assert Evidence.objects.filter(entry__round=row).values("kind").distinct().count() >= 2
    counted = Entry.objects.filter(round=row, computed_at__isnull=False)
    assert counted.exists() and all(e.computed_detail.get("measure") for e in counted)


def test_the_district_and_the_province_see_their_networks_rolled_up(db: Any) -> None:
    """The demo counts the dashboards' figures itself: the district office's roll-up lists its
    schools with the demo school's progress, the province's lists its agencies."""
    from platu.accounts.models import User

    run()
    client = Client()
    client.force_login(User.objects.get(username="chaiwat.s"))
    page = client.get("/orgs/snk-pesa1/dashboard/network/").content.decode()
    for school in Organisation.objects.filter(parent__code="snk-pesa1"):
        assert school.name in page, school.name
    assert "CEO อนุมัติแล้ว" in page  # the demo school's approved plan
    client.force_login(User.objects.get(username="sakda.w"))
    page = client.get("/orgs/snk/dashboard/network/").content.decode()
    for agency in Organisation.objects.filter(parent__code="snk"):
        assert agency.name in page, agency.name
