"""Demo knowledge for the demo network (``platu_demo``): 40+ items of every type, in
every vetting state, with revisions, review votes, comments, applied reports, useful
votes and views. Written with the ORM (a fixture, not user actions): no audit rows."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import override

from platu.knowledge import access
from platu.knowledge.demo_texts import APPLIED, COMMENTS, ITEMS
from platu.knowledge.models import (
    AppliedReport,
    Category,
    Comment,
    Item,
    ItemView,
    ReviewVote,
    Revision,
    Tag,
    UsefulVote,
)
from platu.knowledge.sanitize import html_to_text
from platu.knowledge.templates_body import headings
from platu.knowledge.workflow import add_months
from platu.orgs.models import Organisation, Person

CATEGORY_PARENTS = {"การอ่านออกเขียนได้": "การจัดการเรียนรู้", "คณิตศาสตร์": "การจัดการเรียนรู้"}
CORE_SOURCES = {"pesa-12": ["pesa-01", "pesa-04", "pesa-16"], "snk-08": ["snk-01", "snk-02"]}


def _body(kind: str, sections: list[str]) -> str:
    parts = []
    heads = headings(kind)
    for i, text in enumerate(sections):
        if heads and i < len(heads):
            parts.append(f"<h2>{escape(heads[i][0])}</h2>")
        lines = [line for line in text.split("\n") if line.strip()]
        if lines and all(line[:2].rstrip(".").isdigit() for line in lines) and len(lines) > 1:
            items = "".join(f"<li>{escape(line.split('. ', 1)[-1])}</li>" for line in lines)
            parts.append(f"<ol>{items}</ol>")
        elif lines:
            parts.append("".join(f"<p>{escape(line)}</p>" for line in lines))
        else:
            parts.append("<p></p>")
    return "".join(parts)


def _category(org: Organisation, name: str) -> Category | None:
    if not name:
        return None
    parent = None
    if name in CATEGORY_PARENTS:
        parent, _ = Category.objects.get_or_create(organisation=org, parent=None, name=CATEGORY_PARENTS[name])
    category, _ = Category.objects.get_or_create(organisation=org, parent=parent, name=name)
    return category


@transaction.atomic
def build(people: dict[str, Person]) -> int:
    """Create the demo items once; returns how many were made."""
    if Item.objects.filter(external_id__startswith="demo:").exists():
        return 0
    rng = random.Random(2569)
    orgs = {o.code: o for o in Organisation.objects.all()}
    now = timezone.now()
    made: dict[str, Item] = {}
    users = [p.user for p in people.values() if p.user_id]
    public_orgs: set[str] = set()
    with override("th"):
        for n, (
            key,
            code,
            owner,
            coauthors,
            kind,
            title,
            summary,
            sections,
            tags,
            category,
            plan,
        ) in enumerate(ITEMS):
            org = orgs[code]
            created = now - dt.timedelta(days=400 - n * 8)
            # Every organisation's public page shows something: its first published item
            # (and each marked public) is public; the rest alternate network / organisation.
            if plan == "published-public" or (plan.startswith("published") and code not in public_orgs):
                visibility = "public"
                public_orgs.add(code)
            else:
                visibility = "network" if n % 4 == 1 else "organisation"
            item = Item.objects.create(
                organisation=org,
                network_path=org.network_path,
                kind=kind,
                source="explicit" if kind in ("manual", "best_practice") else "tacit",
                level="core" if plan == "published-core" else "pocket",
                visibility=visibility,
                title=title,
                summary=summary,
                body=_body(kind, sections),
                category=_category(org, category),
                owner=people[owner],
                external_id=f"demo:{key}",
            )
            item.body_text = html_to_text(item.body)
            item.coauthors.set([people[u] for u in coauthors])
            tag_rows = [Tag.objects.get_or_create(name=t)[0] for t in tags]
            item.tags.set(tag_rows)
            meta = {"kind": kind, "tags": tags, "category": category, "visibility": visibility}
            revs = [Revision(item=item, number=1, title=title, summary=summary, body=item.body, meta=meta,
                             author=people[owner].user, author_name=people[owner].full_name,
                             message="ฉบับแรก")]  # fmt: skip
            if n % 3 == 0 and plan.startswith("published"):
                first = _body(kind, [*sections[:-1], "(ร่าง) ยังไม่ได้สรุป"])
                revs[0].body = first
                revs.append(Revision(item=item, number=2, title=title, summary=summary, body=item.body, meta=meta,
                                     author=people[owner].user, author_name=people[owner].full_name,
                                     message="เพิ่มข้อสรุปและตัวเลขผลลัพธ์"))  # fmt: skip
            Revision.objects.bulk_create(revs)
            item.revision_no = len(revs)
            reviewers = access.reviewers(item)
            quorum = len(reviewers) // 2 + 1
            if plan != "draft":
                item.review_round = 1
                item.submitted_at = created + dt.timedelta(days=2)
            votes: list[tuple[Person, str]] = []
            if plan.startswith("published") or plan == "approved":
                votes = [(p, "approve") for p in reviewers[:quorum]]
            elif plan == "in_review":
                votes = [(reviewers[0], "approve")]
            elif plan == "needs_changes":
                votes = [(p, "needs_changes") for p in reviewers[: len(reviewers) - quorum + 1]]
            ReviewVote.objects.bulk_create(
                ReviewVote(item=item, round=1, reviewer=p, vote=v) for p, v in votes
            )
            if plan == "needs_changes":
                Comment.objects.create(
                    item=item, author=votes[0][0].user, author_name=votes[0][0].full_name, is_review=True,
                    review_round=1, quote="ผู้ปกครองร้อยละ 64 สมัครได้เองโดยไม่ต้องมาโรงเรียน",
                    body="ขอให้เพิ่มจำนวนผู้สมัครทั้งหมดและจำนวนที่ต้องช่วยเหลือ จะได้เห็นภาพชัดขึ้น",
                )  # fmt: skip
            state = {"draft": "draft", "submitted": "submitted", "in_review": "in_review",
                     "needs_changes": "needs_changes", "approved": "approved"}.get(plan, "published")  # fmt: skip
            if plan.startswith("published"):
                published = created + dt.timedelta(days=10)
                item.published_at = item.reviewed_at = published
                due = add_months(timezone.localdate(published), 12)
                if plan == "published-stale":
                    item.published_at = item.reviewed_at = now - dt.timedelta(days=400)
                    due = timezone.localdate(now) - dt.timedelta(days=35)
                    state = "stale"
                item.review_due = due
            item.state = state
            item.save()
            Item.objects.filter(pk=item.pk).update(created_at=created)
            made[key] = item

        for key, sources in CORE_SOURCES.items():
            made[key].sources.set([made[s] for s in sources])

        by_key: dict[str, list[Comment]] = {}
        for key, username, text, reply_to in COMMENTS:
            parent = by_key.get(key, [])[reply_to] if reply_to is not None else None
            comment = Comment.objects.create(item=made[key], parent=parent, author=people[username].user,
                                             author_name=people[username].full_name, body=text)  # fmt: skip
            by_key.setdefault(key, []).append(comment)
        today = timezone.localdate()
        for key, username, days, where, outcome in APPLIED:
            AppliedReport.objects.create(
                item=made[key], user=people[username].user, person=people[username],
                organisation=people[username].memberships.first().organisation,  # type: ignore[union-attr]
                reporter_name=people[username].full_name, applied_on=today - dt.timedelta(days=days),
                where=where, outcome=outcome,
            )  # fmt: skip

        for item in made.values():
            if item.state not in Item.LIVE_STATES:
                continue
            voters = rng.sample(users, rng.randint(0, 9))
            UsefulVote.objects.bulk_create(UsefulVote(item=item, user=u) for u in voters)
            views = [
                ItemView(item=item, day=today - dt.timedelta(days=rng.randint(0, 90)), viewer=f"demo-{i}",
                         channel="public" if item.visibility == "public" and i % 3 == 0 else "web")
                for i in range(rng.randint(5, 80))
            ]  # fmt: skip
            ItemView.objects.bulk_create(views)
            Item.objects.filter(pk=item.pk).update(
                useful_count=len(voters),
                view_count=len(views),
                applied_count=AppliedReport.objects.filter(item=item).count(),
                comment_count=Comment.objects.filter(item=item).count(),
            )
    return len(made)


def summary() -> dict[str, Any]:
    return {
        "items": Item.objects.filter(external_id__startswith="demo:").count(),
        "kinds": sorted(set(Item.objects.values_list("kind", flat=True))),
    }
