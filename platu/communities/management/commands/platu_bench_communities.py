"""Communities at a district's scale: 60 schools, 2,000 teachers, a year of weekly PLCs (about
100k sessions, 1M attendance rows). Times the pages people open most, through the whole request
as a teacher: the month calendar, a community's page and the PLC logbook; and checks that what
they show adds up (the logbook's hours equal the attendance rows counted directly).

    python manage.py platu_bench_communities [--schools 60 --teachers 2000 --communities 2000
        --weeks 50 --attendees 10] --out var/bench/communities-sqlite.json
    python manage.py platu_bench_communities --report var/bench/communities-*.json
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Sum
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from platu.accounts.models import User
from platu.communities.hours import logbook
from platu.communities.models import Attendance, Community, Member, Session
from platu.lib import thaidate
from platu.lib.benchmarks import machine, percentile
from platu.orgs.models import Membership, MembershipRole, Organisation, Person

TARGET_MS = 150


def build(schools: int, teachers: int, communities: int, weeks: int, attendees: int) -> None:
    rng = random.Random(17)
    district = Organisation.objects.create(
        code="bench-district", kind="district_education_office", name_th="สพป.ทดสอบสมรรถนะ"
    )
    orgs = [Organisation.objects.create(code=f"bench-s{i}", kind="school", name_th=f"โรงเรียนทดสอบ {i}", parent=district)
            for i in range(schools)]  # fmt: skip
    password = make_password(None)
    users = User.objects.bulk_create(User(username=f"bench-t{i}", password=password) for i in range(teachers))
    people = Person.objects.bulk_create(
        Person(user=u, first_name=f"ครู{i}", last_name="ทดสอบ") for i, u in enumerate(users)
    )
    memberships = Membership.objects.bulk_create(
        Membership(person=p, organisation=orgs[i % schools]) for i, p in enumerate(people)
    )
    MembershipRole.objects.bulk_create(MembershipRole(membership=m, role="member") for m in memberships)
    by_school: dict[int, list[Person]] = {}
    for i, p in enumerate(people):
        by_school.setdefault(i % schools, []).append(p)
    cops = Community.objects.bulk_create(
        Community(
            organisation=orgs[i % schools], name=f"PLC ทดสอบ {i}", kind="plc", network_path=district.path
        )
        for i in range(communities)
    )
    members: list[Member] = []
    rosters: dict[int, list[Person]] = {}
    for i, c in enumerate(cops):
        staff = by_school[i % schools]
        roster = rng.sample(staff, min(attendees, len(staff)))
        rosters[c.pk] = roster
        members += [Member(community=c, person=p, role="facilitator" if n == 0 else "practitioner")
                    for n, p in enumerate(roster)]  # fmt: skip
    Member.objects.bulk_create(members, batch_size=5000)
    start = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() - dt.timedelta(weeks=weeks // 2), dt.time(15, 30))
    )
    for chunk in range(0, len(cops), 200):
        sessions = Session.objects.bulk_create(
            Session(community=c, title=f"วง PLC สัปดาห์ที่ {w + 1}", starts_at=start + dt.timedelta(weeks=w, hours=i % 3),
                    ends_at=start + dt.timedelta(weeks=w, hours=i % 3 + 1), state="held")
            for i, c in enumerate(cops[chunk : chunk + 200]) for w in range(weeks)
        )  # fmt: skip
        rows = [Attendance(session=s, person=p, hours=Decimal("1.00")) for s in sessions
                for p in rosters[s.community_id] if rng.random() < 0.9]  # fmt: skip
        Attendance.objects.bulk_create(rows, batch_size=5000)


def timed(client: Client, url: str, params: dict[str, str], repeat: int) -> list[float]:
    client.get(url, params)  # warm
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        response = client.get(url, params)
        out.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return out


class Command(BaseCommand):
    help = "Time the calendar, a community's page and the logbook at a district's scale."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--schools", type=int, default=60)
        parser.add_argument("--teachers", type=int, default=2000)
        parser.add_argument("--communities", type=int, default=2000)
        parser.add_argument("--weeks", type=int, default=50)
        parser.add_argument("--attendees", type=int, default=10)
        parser.add_argument("--repeat", type=int, default=40)
        parser.add_argument("--out", default="")
        parser.add_argument("--report", nargs="*", default=None)

    def handle(self, *args: Any, **o: Any) -> None:
        if o["report"] is not None:
            self.stdout.write(
                render([json.loads(Path(p).read_text()) for p in o["report"] if Path(p).exists()])
            )
            return
        t = time.perf_counter()
        with transaction.atomic():
            build(o["schools"], o["teachers"], o["communities"], o["weeks"], o["attendees"])
        built = time.perf_counter() - t
        self.stderr.write(f"built in {built:.0f} s")
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        rng = random.Random(3)
        teachers = list(Person.objects.filter(user__username__startswith="bench-t").select_related("user"))
        pages: dict[str, list[float]] = {"calendar": [], "community": [], "logbook": []}
        checks = 0
        month = timezone.localdate()
        fy = thaidate.fiscal_year(month)
        storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # fmt: skip
        with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False, STORAGES=storages):
            in_plcs = set(Member.objects.values_list("person_id", flat=True))
            in_a_plc = [p for p in teachers if p.pk in in_plcs]
            for person in rng.sample(in_a_plc, min(8, len(in_a_plc))):
                client = Client()
                client.force_login(person.user)
                cop = Community.objects.filter(members__person=person).first()
                per = max(1, o["repeat"] // 8)
                pages["calendar"] += timed(
                    client,
                    reverse("communities:calendar"),
                    {"month": f"{month.year + 543}-{month.month}"},
                    per,
                )
                pages["community"] += timed(client, cop.get_absolute_url(), {}, per)
                pages["logbook"] += timed(client, reverse("communities:my_hours"), {"fy": str(fy)}, per)
                book = logbook(person, fy)
                start, end = thaidate.fiscal_year_bounds(fy)
                direct = Attendance.objects.filter(person=person, session__starts_at__date__gte=start,
                                                   session__starts_at__date__lte=end).aggregate(n=Sum("hours"))["n"] or 0  # fmt: skip
                assert book.total == direct, (book.total, direct)
                checks += 1
        result = {
            "vendor": connection.vendor, "machine": machine(), "date": dt.date.today().isoformat(), "build_s": round(built),
            "sessions": Session.objects.count(), "attendance": Attendance.objects.count(),
            "communities": Community.objects.count(), "teachers": len(teachers), "logbooks_checked": checks,
            "schools": o["schools"], "weeks": o["weeks"], "members": o["attendees"],
            "pages": {k: {"p50": percentile(v, 50), "p95": percentile(v, 95), "n": len(v)} for k, v in pages.items()},
        }  # fmt: skip
        self.stderr.write(json.dumps(result["pages"]))
        if o["out"]:
            Path(o["out"]).write_text(json.dumps(result, indent=1))


def render(results: list[dict[str, Any]]) -> str:
    lines = ["", "## Communities at a district's scale", ""]
    if not results:
        return "\n".join([*lines, "Not run (`make bench-communities`).", ""])
    r0 = results[0]
    lines += [
        f"- Machine: {r0['machine']}; date: {r0['date']}.",
        f"- A district office, {r0['schools']} schools, {r0['teachers']:,} teachers, {r0['communities']:,} PLCs of "
        f"{r0['members']} members meeting weekly for {r0['weeks']} weeks; about 9 in 10 members at each session. Each page is the whole request as a teacher (log-in session, "
        "middleware, template), 8 teachers × 5 requests after a warm-up. Every logbook timed is checked against "
        "the attendance rows summed directly.",
        "",
        "| database | sessions | attendance rows | page | p50 ms | p95 ms | target p95 | met |",
        "|---|---:|---:|---|---:|---:|---:|:-:|",
    ]
    for r in results:
        for page, label in (
            ("calendar", "month calendar"),
            ("community", "a community's page"),
            ("logbook", "PLC logbook"),
        ):
            p = r["pages"][page]
            lines.append(f"| {r['vendor']} | {r['sessions']:,} | {r['attendance']:,} | {label} | {p['p50']:.1f} | "
                         f"{p['p95']:.1f} | {TARGET_MS} | {'yes' if p['p95'] <= TARGET_MS else '**no**'} |")  # fmt: skip
    lines += [
        "",
        f"Logbooks checked against the attendance rows: {', '.join(str(r['logbooks_checked']) for r in results)} (all equal).",
        "",
    ]
    return "\n".join(lines)
