"""Dashboards at a district's scale (SQLite) or a country's (PostgreSQL): an organisation tree of
four levels with people, knowledge items, community sessions with attendance, KM plans with
Form 2 activities and a 9-month round of entries, all written with bulk inserts (COPY on
PostgreSQL). The figures are then counted by the refresh itself (`refresh.rebuild`, what
`platu_refresh_dashboards --all` runs) from those rows, and one school's refresh (what the task
queue runs after a save) is timed too. The pages are timed through the whole request as a
logged-in user; the roll-up's rows are checked to add up to its totals, and the top office's
totals against the raw rows counted directly.

    python manage.py platu_bench_dashboards --scale district --out var/bench/dashboards-sqlite.json
    python manage.py platu_bench_dashboards --scale national --out var/bench/dashboards-postgresql.json
    python manage.py platu_bench_dashboards --report var/bench/dashboards-*.json [--write docs/benchmarks.md]
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from platu.accounts.models import User
from platu.communities.models import Attendance, Community, Session
from platu.dashboards import figures, refresh
from platu.dashboards.models import OrgYear
from platu.knowledge.models import Item
from platu.lib import thaidate
from platu.lib.benchmarks import machine, percentile
from platu.orgs.models import Membership, MembershipRole, Organisation, Person
from platu.planning.models import Activity, Plan
from platu.tracking.models import Entry, Round

TARGETS = {"rollup": 500, "school": 150, "district": 500}
# Organisations per level below the top (4 levels), people/items/sessions/activities per school.
SCALES: dict[str, dict[str, Any]] = {
    "national": {"levels": (15, 20, 99), "people": 17, "items": 67, "sessions": 33, "activities": 10},
    "district": {"levels": (1, 1, 60), "people": 17, "items": 67, "sessions": 33, "activities": 10},
}


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.column)


def insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Rows with explicit ids; other NOT NULL columns take the field's default (COPY on
    PostgreSQL, executemany elsewhere)."""
    now = timezone.now()
    extra: list[tuple[str, Any]] = []
    for f in model._meta.concrete_fields:
        if f.name in fields or f.attname in fields or f.null:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            extra.append((str(f.column), now))
        elif f.has_default():
            default = f.get_default()
            extra.append(
                (str(f.column), json.dumps(default) if isinstance(default, (dict, list)) else default)
            )
        elif isinstance(f, (models.CharField, models.TextField, models.FileField)):
            extra.append((str(f.column), ""))
    q = connection.ops.quote_name
    columns = [q(_column(model, f)) for f in fields] + [q(c) for c, _v in extra]
    tail = tuple(v for _c, v in extra)
    table = model._meta.db_table
    n = 0
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        raw = connection.connection
        assert raw is not None
        with raw.cursor() as cur, cur.copy(f"COPY {q(table)} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row, *tail))
                n += 1
    else:
        sql = f"INSERT INTO {q(table)} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
        batch: list[tuple[Any, ...]] = []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append(tuple(_sqlite(v) for v in (*row, *tail)))
                if len(batch) >= 5000:
                    cursor.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                n += len(batch)
    return n


def _sqlite(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def build(scale: dict[str, Any], fy: int) -> dict[str, Any]:
    rng = random.Random(7)
    top = Organisation.objects.create(code="bench-top", kind="ministry", name_th="กระทรวงทดสอบสมรรถนะ")
    next_id = (Organisation.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    orgs: list[tuple[int, int | None, str, str, str]] = []  # id, parent, path, code, kind
    parents = [(top.pk, top.path)]
    kinds = ("regional_office", "district_education_office", "school")
    for level, (per, kind) in enumerate(zip(scale["levels"], kinds, strict=True)):
        below = []
        for parent, path in parents:
            for _n in range(per):
                pk = next_id
                next_id += 1
                orgs.append((pk, parent, f"{path}{pk}/", f"bench-{level}-{pk}", kind))
                below.append((pk, f"{path}{pk}/"))
        parents = below
    insert(Organisation, ["id", "parent_id", "path", "code", "kind", "name_th", "name_sort"],
           ((pk, parent, path, code, kind, f"หน่วยงาน {pk}", f"{pk:08d}") for pk, parent, path, code, kind in orgs))  # fmt: skip
    schools = [(pk, parent, path) for pk, parent, path, _c, kind in orgs if kind == "school"]
    network = {pk: path[: path.rstrip("/").rfind("/") + 1] for pk, _p, path in schools}
    start, end = refresh.bounds(fy)
    span = (end - start).total_seconds()
    # People, one membership each, at a school.
    per = scale["people"]
    base_person = (Person.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    people = {
        pk: list(range(base_person + i * per, base_person + (i + 1) * per))
        for i, (pk, _p, _x) in enumerate(schools)
    }
    insert(Person, ["id", "first_name", "last_name", "sort_key"],
           ((p, f"ครู{p}", "ทดสอบ", f"{p:09d}") for ids in people.values() for p in ids))  # fmt: skip
    base_m = (Membership.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    insert(Membership, ["id", "person_id", "organisation_id"],
           ((base_m + n, p, org) for n, (org, p) in enumerate((o, p) for o, ids in people.items() for p in ids)))  # fmt: skip

    def moment() -> dt.datetime:
        return start + dt.timedelta(seconds=rng.random() * span * 0.98)

    states = ("published",) * 6 + ("draft", "submitted", "in_review", "stale")
    visibilities = ("organisation", "network", "public", "private")
    item_id = (Item.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1

    def items() -> Iterable[tuple[Any, ...]]:
        n = item_id
        for pk, _parent, _path in schools:
            for _i in range(scale["items"]):
                state = rng.choice(states)
                at = moment()
                published = at + dt.timedelta(days=3) if state in ("published", "stale") else None
                if published and published >= end:
                    published = at
                yield (n, pk, network[pk], state, rng.choice(visibilities), f"เรื่องเล่าที่ {n}",
                       rng.choice(people[pk]), published, published, at, at)  # fmt: skip
                n += 1

    n_items = insert(Item, ["id", "organisation_id", "network_path", "state", "visibility", "title", "owner_id",
                            "published_at", "reviewed_at", "created_at", "updated_at"], items())  # fmt: skip
    community_id = (Community.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    cops = {pk: community_id + i for i, (pk, _p, _x) in enumerate(schools)}
    insert(Community, ["id", "organisation_id", "name", "kind", "network_path"],
           ((cop, org, f"PLC {org}", "plc", network[org]) for org, cop in cops.items()))  # fmt: skip
    session_id = (Session.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    sessions: list[tuple[int, int, dt.datetime]] = []
    for org in cops:
        for _s in range(scale["sessions"]):
            sessions.append((session_id, org, moment()))
            session_id += 1
    insert(Session, ["id", "community_id", "title", "starts_at", "ends_at", "state"],
           ((s, cops[org], "วง PLC", at, at + dt.timedelta(hours=1), "held") for s, org, at in sessions))  # fmt: skip
    attendance_id = (Attendance.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    n_attendance = insert(Attendance, ["id", "session_id", "person_id", "hours", "at"],
                          ((attendance_id + i, s, rng.choice(people[org]), Decimal("1.00"), at)
                           for i, (s, org, at) in enumerate(sessions)))  # fmt: skip
    # Plans, Form 2 activities, the 9-month round and its entries.
    plan_id = (Plan.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    plans = {pk: plan_id + i for i, (pk, _p, _x) in enumerate(schools)}
    insert(Plan, ["id", "organisation_id", "fiscal_year", "revision", "state"],
           ((p, org, fy, 1, "approved" if rng.random() < 0.8 else "draft") for org, p in plans.items()))  # fmt: skip
    activity_id = (Activity.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    first = thaidate.fiscal_year_bounds(fy)[0]
    activities: list[tuple[int, int, dt.date, dt.date]] = []
    for _org, p in plans.items():
        for _a in range(scale["activities"]):
            a_start = first + dt.timedelta(days=rng.randrange(0, 200))
            activities.append((activity_id, p, a_start, a_start + dt.timedelta(days=rng.randrange(30, 160))))
            activity_id += 1
    insert(Activity, ["id", "plan_id", "name", "start", "end", "process", "step"],
           ((a, p, f"กิจกรรม {a}", s, e, "km", 1) for a, p, s, e in activities))  # fmt: skip
    round_id = (Round.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    r_start, r_end = thaidate.round_bounds(fy, 9)
    rounds = {p: round_id + i for i, p in enumerate(plans.values())}
    insert(Round, ["id", "plan_id", "months", "period_start", "period_end", "due_date", "state"],
           ((r, p, 9, r_start, r_end, r_end, "closed") for p, r in rounds.items()))  # fmt: skip
    entry_id = (Entry.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    statuses = ("in_progress",) * 5 + ("done", "done", "late", "planned", "cancelled")
    n_entries = insert(Entry, ["id", "round_id", "activity_id", "status", "percent"],
                       ((entry_id + i, rounds[p], a, st := rng.choice(statuses), 100 if st == "done" else rng.randrange(0, 100))
                        for i, (a, p, _s, _e) in enumerate(activities)))  # fmt: skip
    if connection.vendor == "postgresql":
        sql = connection.ops.sequence_reset_sql(no_style(), [Organisation, Person, Membership, Item, Community,
                                                             Session, Attendance, Plan, Activity, Round, Entry])  # fmt: skip
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
    return {"organisations": len(orgs) + 1, "schools": len(schools), "people": sum(map(len, people.values())),
            "items": n_items, "sessions": len(sessions), "attendance": n_attendance, "plans": len(plans),
            "activities": len(activities), "entries": n_entries, "top": top.pk}  # fmt: skip


def viewer(username: str, org_id: int) -> User:
    user = User.objects.create(username=username, password=make_password(None))
    person = Person.objects.create(user=user, first_name=username, last_name="ผู้ทดสอบ")
    membership = Membership.objects.create(person=person, organisation_id=org_id)
    MembershipRole.objects.create(membership=membership, role="ceo")
    return user


def timed(client: Client, url: str, repeat: int) -> list[float]:
    client.get(url)  # warm
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return out


class Command(BaseCommand):
    help = "Time the executive dashboard and the roll-up at a district's or a country's scale."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="district")
        parser.add_argument("--repeat", type=int, default=40)
        parser.add_argument("--out", default="")
        parser.add_argument("--report", nargs="*", default=None)
        parser.add_argument("--write", default="", help="replace (or append) this section in a Markdown file")

    def handle(self, *args: Any, **o: Any) -> None:
        if o["report"] is not None:
            text = render([json.loads(Path(p).read_text()) for p in o["report"] if Path(p).exists()])
            if o["write"]:
                write_section(Path(o["write"]), text)
            else:
                self.stdout.write(text)
            return
        fy = thaidate.fiscal_year(timezone.localdate()) - 1  # a whole fiscal year of months
        t = time.perf_counter()
        with transaction.atomic():
            sizes = build(SCALES[o["scale"]], fy)
        built = time.perf_counter() - t
        self.stderr.write(f"built in {built:.0f} s: {sizes}")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        t = time.perf_counter()
        refresh.rebuild(fy)
        rebuilt = time.perf_counter() - t
        self.stderr.write(f"counted in {rebuilt:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        top = Organisation.objects.get(pk=sizes["top"])
        districts = list(
            Organisation.objects.filter(kind="district_education_office", path__startswith=top.path)
        )
        schools = list(
            Organisation.objects.filter(kind="school", path__startswith=top.path).order_by("?")[:8]
        )
        # One school counted again, as the task does after a save.
        one = []
        for school in schools[:4]:
            t = time.perf_counter()
            refresh.refresh([school.pk], fy)
            one.append((time.perf_counter() - t) * 1000)
        pages: dict[str, list[float]] = {"rollup": [], "school": [], "district": []}
        storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # fmt: skip
        checks: list[str] = []
        with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False, STORAGES=storages):
            chief = Client()
            chief.force_login(viewer("bench-chief", top.pk))
            pages["rollup"] = timed(
                chief, reverse("dashboards:network", args=[top.code]) + f"?year={fy}", o["repeat"]
            )
            rollup = figures.network(top, fy)
            for key in ("items_written", "items_published", "sessions", "plc_hours", "late", "organisations"):
                parts = sum(r[key] for r in [*rollup.rows, rollup.own_row])
                assert parts == rollup.totals[key], (key, parts, rollup.totals[key])
            checks.append("roll-up rows add up to the totals")
            start, end = refresh.bounds(fy)
            direct = Item.objects.filter(organisation__path__startswith=top.path, state__in=Item.LIVE_STATES,
                                         published_at__gte=start, published_at__lt=end).count()  # fmt: skip
            assert rollup.totals["items_published"] == direct, (rollup.totals["items_published"], direct)
            checks.append(f"top office's published items = {direct:,} counted directly")
            per = max(1, o["repeat"] // len(schools))
            for n, school in enumerate(schools):
                client = Client()
                client.force_login(viewer(f"bench-head-{n}", school.pk))
                pages["school"] += timed(
                    client, reverse("dashboards:dashboard", args=[school.code]) + f"?year={fy}", per
                )
            district = districts[0]
            client = Client()
            client.force_login(viewer("bench-district", district.pk))
            pages["district"] = timed(client, reverse("dashboards:dashboard", args=[district.code]) + f"?year={fy}",
                                      max(1, o["repeat"] // 2))  # fmt: skip
        counted = OrgYear.objects.filter(fiscal_year=fy).count()
        result = {
            "vendor": connection.vendor, "machine": machine(), "date": dt.date.today().isoformat(),
            "scale": o["scale"], "fiscal_year": fy, "build_s": round(built), "rebuild_s": round(rebuilt, 1),
            "refresh_one_ms": round(percentile(one, 50), 1) if one else None, "year_rows": counted,
            "sizes": sizes, "checks": checks, "children_of_top": len(rollup.rows),
            "pages": {k: {"p50": percentile(v, 50), "p95": percentile(v, 95), "n": len(v)} for k, v in pages.items()},
        }  # fmt: skip
        self.stderr.write(json.dumps(result["pages"]))
        if o["out"]:
            Path(o["out"]).write_text(json.dumps(result, indent=1))


TITLE = "## Dashboards: a school's dashboard and the top office's roll-up"


def render(results: list[dict[str, Any]]) -> str:
    lines = ["", TITLE, ""]
    if not results:
        return "\n".join([*lines, "Not run (`make bench-dashboards`).", ""])
    r0 = results[0]
    lines += [
        f"- Machine: {r0['machine']}; date: {r0['date']}.",
        "- Generated with bulk inserts (COPY on PostgreSQL): a four-level tree (top office → regional offices → "
        "district offices → schools); at each school about 17 people (one membership each), 67 knowledge items "
        "(60% published, a quarter of them private), 33 held community sessions with one attendance row each, a "
        "plan with 10 Form 2 activities and a closed 9-month round with an entry per activity. Dates spread over "
        "the last whole fiscal year. Not generated: reports of applying knowledge, co-authors, indicators.",
        "- The figures were then counted from those rows by the refresh itself (`platu_refresh_dashboards --all`, "
        "timed below), not generated. One school counted again, as the task queue does after a save, is timed too.",
        "- Pages: the whole request as a logged-in user (session, middleware, template). The roll-up is the top "
        "office's (`dashboards:network`); school dashboards of 8 random schools; one district office's dashboard "
        "(with its schools' table). Checked: the roll-up's rows add up to its totals, and its published items "
        "equal the raw rows counted directly.",
        "",
        "| database | scale | organisations | people | items | sessions | entries | count all (s) | one school (ms) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        s = r["sizes"]
        lines.append(f"| {r['vendor']} | {r['scale']} | {s['organisations']:,} | {s['people']:,} | {s['items']:,} | "
                     f"{s['sessions']:,} | {s['entries']:,} | {r['rebuild_s']} | {r['refresh_one_ms']} |")  # fmt: skip
    lines += [
        "",
        "| database | scale | page | p50 ms | p95 ms | target p95 | met |",
        "|---|---|---|---:|---:|---:|:-:|",
    ]
    labels = {
        "rollup": "top office's roll-up",
        "school": "a school's dashboard",
        "district": "a district's dashboard",
    }
    for r in results:
        for page, label in labels.items():
            p = r["pages"][page]
            lines.append(f"| {r['vendor']} | {r['scale']} | {label} | {p['p50']:.1f} | {p['p95']:.1f} | "
                         f"{TARGETS[page]} | {'yes' if p['p95'] <= TARGETS[page] else '**no**'} |")  # fmt: skip
    lines += [
        "",
        "Checks: " + "; ".join(f"{r['vendor']}: {', '.join(r['checks'])}" for r in results) + ".",
        "",
    ]
    lines += [
        "How stale the figures may be: a save that sends a signal (items, reports of applying, attendance, sessions, "
        "plans, activities, rounds, entries) is counted again by the task queue after its commit (seconds with the "
        "worker running); bulk writes that send none are counted by `platu_refresh_dashboards` from cron (hourly: "
        "at most about an hour) and by the daily housekeeping (at most a day). The pages say when their figures "
        "were counted; the organisation's own plan and latest round on its dashboard are read live.",
        "",
    ]
    return "\n".join(lines)


def write_section(path: Path, text: str) -> None:
    """Replace this benchmark's section of the Markdown file (up to the next "## " heading of
    another section), or append it."""
    old = path.read_text() if path.exists() else ""
    if TITLE in old:
        head, rest = old.split(TITLE, 1)
        nxt = rest.find("\n## ")
        tail = rest[nxt:] if nxt >= 0 else ""
        # Our section has sub-tables but no "## " headings of its own.
        new = head.rstrip("\n") + "\n" + text.rstrip("\n") + "\n" + tail
    else:
        new = old.rstrip("\n") + "\n" + text
    path.write_text(new)
