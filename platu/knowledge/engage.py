"""Reading and using knowledge: comments with mentions, "useful" votes, applied reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.accounts.models import User
from platu.audit.log import record
from platu.knowledge import access
from platu.knowledge.files import check_upload
from platu.knowledge.models import AppliedReport, Comment, Item, UsefulVote
from platu.lib.errors import ActionRefused, InvalidAction
from platu.lib.mentions import usernames_in
from platu.notify.send import notify
from platu.orgs import access as org_access
from platu.orgs.models import Person


def can_see_review(user: Any, item: Item) -> bool:
    return access.is_author(user, item) or access.is_reviewer(user, item) or getattr(user, "is_staff", False)


def mentioned_users(text: str, item: Item) -> list[Any]:
    """Users named as @username who may read the item."""
    names = usernames_in(text)
    if not names:
        return []
    users = list(User.objects.filter(username__in=names, is_active=True))
    return [u for u in users if Item.objects.visible_to(u).filter(pk=item.pk).exists()]


@transaction.atomic
def add_comment(
    item: Item,
    *,
    acting_user: Any,
    body: str,
    parent: Comment | None = None,
    quote: str = "",
    review: bool = False,
) -> Comment:
    body = (body or "").strip()
    if not body:
        raise InvalidAction(_("The comment is empty."), field="body")
    if len(body) > 10_000:
        raise InvalidAction(_("A comment may have at most 10,000 characters."), field="body")
    if parent is not None:
        if parent.item_id != item.pk:
            raise InvalidAction(_("You can only reply to a comment on this item."))
        review = review or parent.is_review
    if review and not can_see_review(acting_user, item):
        raise ActionRefused(_("Only authors and reviewers take part in the review discussion."))
    if not review and not item.is_live and not can_see_review(acting_user, item):
        raise ActionRefused(_("Comments open when the item is published."))
    person = org_access.person_of(acting_user)
    comment = Comment.objects.create(
        item=item,
        parent=parent,
        author=acting_user,
        author_name=person.full_name if person else acting_user.get_username(),
        body=body,
        quote=(quote or "").strip()[:2000],
        is_review=review,
        review_round=item.review_round if review else None,
    )
    Item.objects.filter(pk=item.pk).update(comment_count=Comment.objects.filter(item=item).count())
    url = f"{item.get_absolute_url()}#comment-{comment.pk}"
    mentioned = mentioned_users(body, item)
    if review:
        mentioned = [u for u in mentioned if can_see_review(u, item)]
    notify(mentioned, kind="knowledge.mention", url=url, actor=acting_user,
           text=_("%(name)s mentioned you on: %(title)s") % {"name": comment.author_name, "title": item.title})  # fmt: skip
    already = {u.pk for u in mentioned}
    authors = [
        p.user
        for p in Person.objects.filter(pk__in=access.author_ids(item), user__isnull=False).select_related(
            "user"
        )
        if p.user_id not in already
    ]
    if parent is not None and parent.author_id and parent.author_id not in already:
        reply_to = User.objects.filter(pk=parent.author_id).first()
        if reply_to is not None:
            authors.append(reply_to)
    notify(authors, kind="knowledge.comment", url=url, actor=acting_user,
           text=_("New comment on: %(title)s") % {"title": item.title})  # fmt: skip
    return comment


@transaction.atomic
def toggle_useful(item: Item, *, acting_user: Any) -> bool:
    """Mark (or unmark) an item as useful. Returns whether it is now marked."""
    if not item.is_live:
        raise InvalidAction(_("Only published knowledge can be marked useful."))
    deleted, _rows = UsefulVote.objects.filter(item=item, user=acting_user).delete()
    if not deleted:
        UsefulVote.objects.create(item=item, user=acting_user)
    count = UsefulVote.objects.filter(item=item).count()
    Item.objects.filter(pk=item.pk).update(useful_count=count)
    item.useful_count = count
    return not deleted


@transaction.atomic
def report_applied(
    item: Item,
    *,
    acting_user: Any,
    applied_on: dt.date,
    where: str,
    outcome: str,
    evidence: Any = None,
    organisation: Any = None,
) -> AppliedReport:
    if not item.is_live:
        raise InvalidAction(_("Only published knowledge can be reported as applied."))
    where, outcome = (where or "").strip(), (outcome or "").strip()
    if not where:
        raise InvalidAction(_("Say where you applied it."), field="where")
    if not outcome:
        raise InvalidAction(_("Say what came of it."), field="outcome")
    if applied_on > timezone.localdate():
        raise InvalidAction(_("The date cannot be in the future."), field="applied_on")
    person = org_access.person_of(acting_user)
    if person is None:
        raise ActionRefused(_("Your account is not linked to a person in any organisation."))
    report = AppliedReport(
        item=item,
        user=acting_user,
        person=person,
        organisation=organisation,
        reporter_name=person.full_name,
        applied_on=applied_on,
        where=where[:300],
        outcome=outcome,
    )
    if evidence:
        name, content_type, _digest, _size = check_upload(evidence)
        report.evidence_name, report.evidence_type = name, content_type
        report.evidence.save("evidence", evidence, save=False)
    report.save()
    count = AppliedReport.objects.filter(item=item).count()
    Item.objects.filter(pk=item.pk).update(applied_count=count)
    item.applied_count = count
    record("knowledge.applied", actor=acting_user, obj=item, organisation=item.organisation,
           data={"where": report.where, "on": applied_on.isoformat()})  # fmt: skip
    authors = Person.objects.filter(pk__in=access.author_ids(item), user__isnull=False).select_related("user")
    notify([p.user for p in authors], kind="knowledge.applied", url=item.get_absolute_url(), actor=acting_user,
           text=_("%(name)s applied your knowledge: %(title)s") % {"name": person.full_name, "title": item.title})  # fmt: skip
    return report
