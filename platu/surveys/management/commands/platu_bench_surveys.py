"""Survey results at scale: a district's KM-atmosphere survey of its schools with 100,000 responses
(about 1.3M answer rows). Times the results page through the whole request as the district's KM
lead (log-in session, middleware, the aggregation, charts, template) and checks that the numbers
add up: every required question's counts sum to the response count, the table by organisation
sums to it too, and one question's counts equal the rows counted directly.

    python manage.py platu_bench_surveys [--responses 100000 --schools 60 --repeat 40]
        --out var/bench/surveys-sqlite.json
    python manage.py platu_bench_surveys --report var/bench/surveys-*.json
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from platu.accounts.models import User
from platu.lib.benchmarks import machine, percentile
from platu.orgs.models import Membership, MembershipRole, Organisation, Person
from platu.surveys import actions, results, tally
from platu.surveys.models import Answer, Invitation, Question, Response, Survey

TARGET_MS = 300
TEXTS = ["อยากให้มีเวลาแลกเปลี่ยนเรียนรู้มากขึ้น", "ควรยกย่องผู้แบ่งปันความรู้", "คลังความรู้ควรค้นหาง่ายขึ้น"]


def build(n_responses: int, schools: int) -> tuple[Survey, User]:
    rng = random.Random(19)
    district = Organisation.objects.create(code="bench-sv-district", kind="district_education_office",
                                           name_th="สพป.ทดสอบแบบสอบถาม")  # fmt: skip
    orgs = [Organisation.objects.create(code=f"bench-sv-{i}", kind="school", name_th=f"โรงเรียนทดสอบ {i}",
                                        parent=district) for i in range(schools)]  # fmt: skip
    lead_user = User.objects.create(username="bench-sv-lead", password=make_password(None))
    lead = Person.objects.create(user=lead_user, first_name="หัวหน้า", last_name="ทีม KM")
    m = Membership.objects.create(person=lead, organisation=district)
    MembershipRole.objects.create(membership=m, role="km_lead")
    today = timezone.localdate()
    survey = actions.create_survey(district, {
        "audience": Survey.Audience.SUBTREE, "audience_org": district, "anonymous": True,
        "opens_on": today - dt.timedelta(days=30), "closes_on": today - dt.timedelta(days=1),
    }, template="atmosphere", acting_user=lead_user)  # fmt: skip
    Survey.objects.filter(pk=survey.pk).update(state=Survey.State.CLOSED)
    questions = list(survey.questions.order_by("order"))
    # Schools of different sizes; the last two have 3 answers each (hidden in the table by school).
    weights = [rng.randint(1, 6) for _ in orgs[:-2]]
    small = 3 * 2
    per_school = [max(1, (n_responses - small) * w // sum(weights)) for w in weights]
    per_school[0] += n_responses - small - sum(per_school)
    per_school += [3, 3]
    invited = [int(n * 1.2) for n in per_school]
    people = Person.objects.bulk_create(
        (Person(first_name=f"ครู{i}", last_name="ทดสอบ") for i in range(sum(invited))), batch_size=5000
    )
    it = iter(people)
    invitations = []
    for org, n_inv, n_ans in zip(orgs, invited, per_school, strict=True):
        invitations += [Invitation(survey=survey, person=next(it), organisation=org, answered=k < n_ans)
                        for k in range(n_inv)]  # fmt: skip
    Invitation.objects.bulk_create(invitations, batch_size=5000)
    order = [org for org, n in zip(orgs, per_school, strict=True) for _ in range(n)]
    rng.shuffle(order)
    for start in range(0, len(order), 5000):
        chunk = Response.objects.bulk_create(
            Response(survey=survey, organisation=org) for org in order[start : start + 5000]
        )
        rows = []
        for r in chunk:
            warmth = 3.2 + (r.organisation_id % 7) * 0.2  # type: ignore[operator]
            for q in questions:
                if q.kind == Question.Kind.LIKERT:
                    rows.append(Answer(response=r, question=q, organisation_id=r.organisation_id,
                                       value=max(1, min(5, round(rng.gauss(warmth, 0.8))))))  # fmt: skip
                elif q.kind == Question.Kind.SINGLE:
                    rows.append(
                        Answer(
                            response=r, question=q, organisation_id=r.organisation_id, value=rng.randint(1, 5)
                        )
                    )
                elif q.kind == Question.Kind.NUMBER and rng.random() < 0.8:
                    rows.append(
                        Answer(
                            response=r,
                            question=q,
                            organisation_id=r.organisation_id,
                            number=rng.randint(0, 35),
                        )
                    )
                elif q.is_text and rng.random() < 0.1:
                    rows.append(
                        Answer(
                            response=r, question=q, organisation_id=r.organisation_id, text=rng.choice(TEXTS)
                        )
                    )
        Answer.objects.bulk_create(rows, batch_size=5000)
    # Loaded in bulk here, so counted once; a response sent through Platu adds to the counts itself.
    tally.rebuild([q.pk for q in questions])
    tally.recount_turnout(survey.pk)
    return survey, lead_user


def check(survey: Survey) -> dict[str, Any]:
    """The numbers add up, against the rows counted directly."""
    r = results.compute(survey)
    total = Response.objects.filter(survey=survey).count()
    assert r.responses == total, (r.responses, total)
    assert r.invited == Invitation.objects.filter(survey=survey).count()
    checked = 0
    for sr in r.sections:
        for qr in sr.questions:
            if qr.question.required and qr.question.kind in (Question.Kind.LIKERT, Question.Kind.SINGLE):
                assert sum(row.count for row in qr.rows) == total == qr.answered, (
                    qr.number,
                    qr.answered,
                    total,
                )
                checked += 1
    assert sum(o.responses for o in r.by_org) == total
    ids = [q.pk for q in survey.questions.all()]
    t = time.perf_counter()
    grouped = tally.from_answers(ids)  # the same counts grouped from every answer row
    direct_ms = (time.perf_counter() - t) * 1000
    assert tally.normalised(tally.read(ids)) == tally.normalised(grouped), "counts differ from answers"
    q = r.likert[0]
    direct = dict(
        Answer.objects.filter(question=q.question).values_list("value").annotate(n=Count("*")).order_by()
    )
    assert {row.value: row.count for row in q.rows if row.count} == direct, (q.rows, direct)
    hidden = [o.organisation.code for o in r.by_org if not o.shown]
    assert len(hidden) == 2, hidden
    return {"questions_checked": checked, "hidden_schools": len(hidden), "mean": str(r.mean),
            "direct_ms": round(direct_ms, 1)}  # fmt: skip


class Command(BaseCommand):
    help = "Time a survey's results page with 100,000 responses, and check that its numbers add up."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--responses", type=int, default=100_000)
        parser.add_argument("--schools", type=int, default=60)
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
        t = time.perf_counter()
        with transaction.atomic():
            survey, user = build(o["responses"], o["schools"])
        built = time.perf_counter() - t
        self.stderr.write(f"built in {built:.0f} s")
        with (
            connection.cursor() as cursor
        ):  # as autovacuum would have: statistics, and PostgreSQL's visibility map
            cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
        checks = check(survey)
        storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # fmt: skip
        times: list[float] = []
        with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False, STORAGES=storages):
            client = Client()
            client.force_login(user)
            url = reverse("surveys:results", args=[survey.pk])
            first = client.get(url)
            assert first.status_code == 200, first.status_code
            page = first.content.decode()
            assert 'role="img"' in page and "by-org-table" in page
            for _ in range(o["repeat"]):
                t = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200
        result = {
            "vendor": connection.vendor, "machine": machine(), "date": dt.date.today().isoformat(), "build_s": round(built),
            "responses": Response.objects.filter(survey=survey).count(),
            "answers": Answer.objects.filter(question__survey=survey).count(),
            "invitations": Invitation.objects.filter(survey=survey).count(), "schools": o["schools"],
            "questions": survey.questions.count(), "checks": checks, "load": round(os.getloadavg()[0], 1),
            "page": {"p50": percentile(times, 50), "p95": percentile(times, 95), "n": len(times)},
        }  # fmt: skip
        self.stderr.write(json.dumps(result["page"]))
        if o["out"]:
            Path(o["out"]).write_text(json.dumps(result, indent=1))


TITLE = "## Survey results: 100,000 responses"


def write_section(path: Path, text: str) -> None:
    """Replace this benchmark's section of the Markdown file (up to the next "## " heading), or
    append it: the other sections are left as they are."""
    old = path.read_text() if path.exists() else ""
    if TITLE in old:
        head, rest = old.split(TITLE, 1)
        nxt = rest.find("\n## ")
        tail = rest[nxt:] if nxt >= 0 else "\n"
        new = head.rstrip("\n") + "\n" + text.rstrip("\n") + "\n" + tail
    else:
        new = old.rstrip("\n") + "\n" + text
    path.write_text(new)


def render(runs: list[dict[str, Any]]) -> str:
    lines = ["", TITLE, ""]
    if not runs:
        return "\n".join([*lines, "Not run (`make bench-surveys`).", ""])
    r0 = runs[0]
    lines += [
        f"- Machine: {r0['machine']}; date: {r0['date']}.",
        f"- A district's KM-atmosphere survey of its {r0['schools']} schools (anonymous, {r0['questions']} questions: "
        "11 ratings, a choice, a number, a text), schools of different sizes and two with 3 answers. The results page "
        "is timed through the whole request as the district's KM lead (log-in session, middleware, template), after a "
        "warm-up. It reads the answer counts kept as each response is stored (`surveys.Tally`, a few thousand rows: one "
        "GROUP BY question and value, one GROUP BY question and school for the means) and who was asked and who "
        "answered per school (`surveys.Turnout`, a row a school); a text question's answers have their own pages. It "
        "never reads the answer rows to count. Before timing, the kept counts are compared with the same counts grouped "
        "from every answer row (one GROUP BY question, school, value, number: the 'grouped directly' column, the work "
        "the kept counts save each request), every required question's counts are checked to sum to the responses "
        "counted directly, the table by school to sum to them too, one question against its rows counted directly, and "
        "the two small schools to be hidden (fewer than 5 answers: not shown).",
        "",
        "| database | responses | answer rows | invitations | p50 ms | p95 ms | target p95 | met | grouped directly ms "
        "| checks |",
        "|---|---:|---:|---:|---:|---:|---:|:-:|---:|---|",
    ]
    for r in runs:
        p = r["page"]
        c = r["checks"]
        lines.append(f"| {r['vendor']} | {r['responses']:,} | {r['answers']:,} | {r['invitations']:,} | {p['p50']:.1f} | "
                     f"{p['p95']:.1f} | {TARGET_MS} | {'yes' if p['p95'] <= TARGET_MS else '**no**'} | {c.get('direct_ms', '–')} | "
                     f"{c['questions_checked']} questions add up; {c['hidden_schools']} schools hidden |")  # fmt: skip
    loads = [f"{r['vendor']} {r['load']}" for r in runs if "load" in r]
    if loads:
        lines += [
            "",
            f"Load average of the 2-core machine while timing (other work shared it): {', '.join(loads)}.",
        ]
    lines.append("")
    return "\n".join(lines)
