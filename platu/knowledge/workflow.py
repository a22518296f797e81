"""Vetting (กลั่นกรอง): draft → submitted → in review → needs changes / approved →
published → review due (stale) → re-reviewed; archived.

The organisation's brain bank reviews. Each reviewer votes approve or needs changes;
the item is approved when approvals reach the quorum (the organisation's setting, or
a majority of the reviewers), and returned when so many ask for changes that the
quorum can no longer be reached. Every transition writes an audit row and notifies.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.audit.log import record
from platu.knowledge import access
from platu.knowledge.models import Comment, Item, ReviewVote
from platu.knowledge.templates_body import only_template
from platu.lib.errors import ActionRefused, InvalidAction
from platu.notify.send import notify
from platu.orgs import access as org_access
from platu.orgs.models import Person

S = Item.State


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def quorum(item: Item, reviewer_count: int) -> int:
    """Approvals needed: the organisation's setting, else a simple majority; never more
    than there are reviewers."""
    wanted = item.organisation.review_quorum or (reviewer_count // 2 + 1)
    return max(1, min(wanted, reviewer_count))


def tally(item: Item) -> dict[str, Any]:
    """Votes of the current round: counts, the quorum and who has voted."""
    eligible = access.reviewers(item)
    eligible_ids = {p.pk for p in eligible}
    votes = [
        v
        for v in ReviewVote.objects.filter(item=item, round=item.review_round).select_related("reviewer")
        if v.reviewer_id in eligible_ids
    ]
    approve = sum(1 for v in votes if v.vote == ReviewVote.Vote.APPROVE)
    needs = sum(1 for v in votes if v.vote == ReviewVote.Vote.NEEDS_CHANGES)
    n = len(eligible)
    return {
        "reviewers": eligible,
        "votes": votes,
        "approve": approve,
        "needs_changes": needs,
        "quorum": quorum(item, n) if n else 0,
        "pending": [p for p in eligible if p.pk not in {v.reviewer_id for v in votes}],
    }


def _authors_users(item: Item) -> list[Any]:
    people = Person.objects.filter(pk__in=access.author_ids(item), user__isnull=False).select_related("user")
    return [p.user for p in people]


def _committee_users(item: Item) -> list[Any]:
    return [p.user for p in access.reviewers(item)]


def _locked(item: Item, allowed: Iterable[str], refusal: str) -> Item:
    locked = (
        Item.objects.select_for_update(of=("self",))
        .filter(pk=item.pk)
        .select_related("organisation", "owner")
        .first()
    )
    if locked is None:
        raise InvalidAction(_("This item no longer exists."))
    if locked.state not in allowed:
        raise InvalidAction(refusal)
    return locked


def _done(item: Item, locked: Item, action: str, user: Any, data: dict[str, Any] | None = None) -> Item:
    locked.save()
    record(
        action,
        actor=user,
        obj=locked,
        organisation=locked.organisation,
        data={"state": locked.state, **(data or {})},
    )
    item.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return item


def _say(recipients: list[Any], kind: str, text: str, item: Item, actor: Any) -> None:
    notify(recipients, kind=kind, text=text, url=item.get_absolute_url(), actor=actor)


def _not_in_state() -> str:
    return _("This cannot be done in the item's present state.")


@transaction.atomic
def submit(item: Item, *, acting_user: Any) -> Item:
    if not access.is_author(acting_user, item):
        raise ActionRefused(_("Only the item's authors may submit it for review."))
    locked = _locked(
        item,
        (S.DRAFT, S.NEEDS_CHANGES),
        _("Only a draft, or an item returned for changes, can be submitted."),
    )
    if not locked.body_text.strip():
        raise InvalidAction(_("Write the content before submitting."))
    if only_template(locked.body_text):
        raise InvalidAction(
            _(
                "The content still holds only the template's headings and hints. "
                "Write your own text under the headings before submitting."
            )
        )
    if not access.reviewers(locked):
        raise InvalidAction(
            _(
                "The organisation has no brain bank committee to review knowledge yet. Ask the KM team to set one up."
            )
        )
    locked.state = S.SUBMITTED
    locked.review_round += 1
    locked.submitted_at = timezone.now()
    _done(item, locked, "knowledge.submit", acting_user, {"round": locked.review_round})
    _say(_committee_users(locked), "knowledge.submit",
         _("Waiting for your review: %(title)s") % {"title": locked.title}, locked, acting_user)  # fmt: skip
    return item


@transaction.atomic
def withdraw(item: Item, *, acting_user: Any) -> Item:
    if not access.is_author(acting_user, item):
        raise ActionRefused(_("Only the item's authors may withdraw it."))
    locked = _locked(item, (S.SUBMITTED, S.IN_REVIEW, S.APPROVED), _not_in_state())
    locked.state = S.DRAFT
    _done(item, locked, "knowledge.withdraw", acting_user)
    _say(_committee_users(locked), "knowledge.withdraw",
         _("Withdrawn from review: %(title)s") % {"title": locked.title}, locked, acting_user)  # fmt: skip
    return item


@transaction.atomic
def start_review(item: Item, *, acting_user: Any) -> Item:
    if not access.is_reviewer(acting_user, item):
        raise ActionRefused(_("Only members of the organisation's brain bank may review."))
    locked = _locked(item, (S.SUBMITTED,), _not_in_state())
    locked.state = S.IN_REVIEW
    _done(item, locked, "knowledge.start_review", acting_user)
    _say(_authors_users(locked), "knowledge.start_review",
         _("The brain bank is reviewing: %(title)s") % {"title": locked.title}, locked, acting_user)  # fmt: skip
    return item


@transaction.atomic
def vote(item: Item, *, acting_user: Any, choice: str, comment: str = "", quote: str = "") -> Item:
    """Record (or change) the reviewer's vote for this round and apply the quorum rule."""
    if not access.is_reviewer(acting_user, item):
        raise ActionRefused(
            _("Only members of the organisation's brain bank may vote, and not on their own items.")
        )
    if choice not in ReviewVote.Vote.values:
        raise InvalidAction(_("Choose approve or needs changes."), field="vote")
    locked = _locked(item, (S.SUBMITTED, S.IN_REVIEW), _("Votes are taken only while the item is in review."))
    person = org_access.person_of(acting_user)
    assert person is not None
    if choice == ReviewVote.Vote.NEEDS_CHANGES and not comment.strip():
        raise InvalidAction(_("Say what should change, so the authors know what to do."), field="comment")
    ReviewVote.objects.update_or_create(
        item=locked, round=locked.review_round, reviewer=person, defaults={"vote": choice}
    )
    if comment.strip():
        Comment.objects.create(
            item=locked,
            author=acting_user,
            author_name=person.full_name,
            body=comment.strip(),
            quote=quote.strip(),
            is_review=True,
            review_round=locked.review_round,
        )
        Item.objects.filter(pk=locked.pk).update(comment_count=Comment.objects.filter(item=locked).count())
    if locked.state == S.SUBMITTED:
        locked.state = S.IN_REVIEW
    record("knowledge.vote", actor=acting_user, obj=locked, organisation=locked.organisation,
           data={"vote": choice, "round": locked.review_round})  # fmt: skip
    counts = tally(locked)
    n, q = len(counts["reviewers"]), counts["quorum"]
    authors = _authors_users(locked)
    if counts["approve"] >= q:
        locked.state = S.APPROVED
        _done(item, locked, "knowledge.approve", acting_user, {"approve": counts["approve"], "quorum": q})
        _say(authors, "knowledge.approve",
             _("Approved by the brain bank, ready to publish: %(title)s") % {"title": locked.title}, locked, acting_user)  # fmt: skip
    elif counts["needs_changes"] > n - q:
        locked.state = S.NEEDS_CHANGES
        _done(
            item, locked, "knowledge.needs_changes", acting_user, {"needs_changes": counts["needs_changes"]}
        )
        _say(authors, "knowledge.needs_changes",
             _("The brain bank asks for changes: %(title)s") % {"title": locked.title}, locked, acting_user)  # fmt: skip
    else:
        locked.save()
        item.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
        _say(authors, "knowledge.vote",
             _("A reviewer voted on: %(title)s") % {"title": locked.title}, locked, acting_user)  # fmt: skip
    return item


def can_publish(user: Any, item: Item) -> bool:
    return access.is_author(user, item) or org_access.can_admin(user, item.organisation)


@transaction.atomic
def publish(item: Item, *, acting_user: Any) -> Item:
    if not can_publish(acting_user, item):
        raise ActionRefused(
            _("Only the item's authors or the organisation's KM administrators may publish it.")
        )
    locked = _locked(item, (S.APPROVED,), _("Only an item approved by the brain bank can be published."))
    now = timezone.now()
    locked.state = S.PUBLISHED
    locked.published_at = locked.reviewed_at = now
    locked.review_due = add_months(timezone.localdate(now), locked.review_interval_months)
    _done(item, locked, "knowledge.publish", acting_user, {"review_due": locked.review_due.isoformat()})
    _say(_authors_users(locked) + _committee_users(locked), "knowledge.publish",
         _("Published: %(title)s") % {"title": locked.title}, locked, acting_user)  # fmt: skip
    return item


@transaction.atomic
def publish_imported(item: Item, *, acting_user: Any) -> Item:
    """Publish an item as it was imported (`platu_import --publish`): the administrator who runs
    the import on the server decides it, so there is no vetting round; an audit row per item."""
    locked = Item.objects.select_for_update().get(pk=item.pk)
    if locked.state == S.PUBLISHED:
        return locked
    now = timezone.now()
    locked.state = S.PUBLISHED
    locked.published_at = locked.published_at or now
    locked.review_due = add_months(timezone.localdate(now), locked.review_interval_months)
    locked.save(update_fields=["state", "published_at", "review_due", "updated_at"])
    record("knowledge.publish", actor=acting_user, obj=locked, organisation=locked.organisation,
           actor_repr="" if acting_user else "import", data={"via": "import"})  # fmt: skip
    return locked


@transaction.atomic
def rereview(item: Item, *, acting_user: Any) -> Item:
    """A brain-bank member confirms a review-due item is still right."""
    if not access.is_reviewer(acting_user, item):
        raise ActionRefused(_("Only members of the organisation's brain bank may re-review."))
    locked = _locked(item, (S.STALE,), _("Only an item due for review can be re-reviewed."))
    now = timezone.now()
    locked.state = S.PUBLISHED
    locked.reviewed_at = now
    locked.review_due = add_months(timezone.localdate(now), locked.review_interval_months)
    _done(item, locked, "knowledge.rereview", acting_user, {"review_due": locked.review_due.isoformat()})
    _say(_authors_users(locked), "knowledge.rereview",
         _("Re-reviewed and still current: %(title)s") % {"title": locked.title}, locked, acting_user)  # fmt: skip
    return item


def can_archive(user: Any, item: Item) -> bool:
    return access.is_author(user, item) or org_access.can_admin(user, item.organisation)


@transaction.atomic
def archive(item: Item, *, acting_user: Any) -> Item:
    if not can_archive(acting_user, item):
        raise ActionRefused(
            _("Only the item's authors or the organisation's KM administrators may archive it.")
        )
    locked = _locked(item, [s for s in S.values if s != S.ARCHIVED], _("The item is already archived."))
    locked.state = S.ARCHIVED
    _done(item, locked, "knowledge.archive", acting_user)
    _say(_authors_users(locked), "knowledge.archive",
         _("Archived: %(title)s") % {"title": locked.title}, locked, acting_user)  # fmt: skip
    return item


@transaction.atomic
def unarchive(item: Item, *, acting_user: Any) -> Item:
    if not can_archive(acting_user, item):
        raise ActionRefused(_("Only the item's authors or the organisation's KM administrators may do this."))
    locked = _locked(item, (S.ARCHIVED,), _("The item is not archived."))
    locked.state = S.DRAFT
    _done(item, locked, "knowledge.unarchive", acting_user)
    _say(_authors_users(locked), "knowledge.unarchive",
         _("Taken out of the archive: %(title)s") % {"title": locked.title}, locked, acting_user)  # fmt: skip
    return item


def mark_stale(today: dt.date | None = None) -> int:
    """Published items whose review date has come become 'review due' and enter the
    committee's queue. Idempotent; run daily by the housekeeping thread or command."""
    today = today or timezone.localdate()
    count = 0
    for pk in Item.objects.filter(state=S.PUBLISHED, review_due__lte=today).values_list("pk", flat=True):
        with transaction.atomic():
            locked = (
                Item.objects.select_for_update(of=("self",))
                .filter(pk=pk, state=S.PUBLISHED)
                .select_related("organisation")
                .first()
            )
            if locked is None:
                continue
            locked.state = S.STALE
            locked.save(update_fields=["state", "updated_at"])
            record("knowledge.stale", obj=locked, organisation=locked.organisation, actor_repr="system",
                   data={"review_due": locked.review_due.isoformat() if locked.review_due else ""})  # fmt: skip
            notify(_committee_users(locked) + _authors_users(locked), kind="knowledge.stale",
                   text=_("Due for review: %(title)s") % {"title": locked.title}, url=locked.get_absolute_url())  # fmt: skip
            count += 1
    return count


TRANSITIONS = {
    "submit": submit,
    "withdraw": withdraw,
    "start_review": start_review,
    "publish": publish,
    "rereview": rereview,
    "archive": archive,
    "unarchive": unarchive,
}
