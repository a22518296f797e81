"""Changing award programmes, nominations, scores, awards and certificates. Each action checks
permission, runs in one transaction and writes an audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.audit.log import record
from platu.awards import access, scoring
from platu.awards.models import (
    Award,
    Category,
    Certificate,
    CommitteeMember,
    Criterion,
    Nomination,
    NominationFile,
    Programme,
    Score,
)
from platu.lib import thaidate
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.notify.send import notify
from platu.orgs import access as org_access
from platu.orgs.models import Organisation, Person, Role

DEFAULT_CRITERIA = (
    ("สอดคล้องกับทิศทางและประเด็นยุทธศาสตร์ของหน่วยงาน", 2),
    ("มีกระบวนการจัดการความรู้ที่ชัดเจนและเป็นระบบ", 2),
    ("เกิดผลลัพธ์ที่เป็นรูปธรรมต่อผู้เรียนหรือผู้รับบริการ", 3),
    ("นำไปใช้หรือขยายผลได้ในหน่วยงานอื่น", 2),
    ("มีการแบ่งปันและเผยแพร่อย่างต่อเนื่อง", 1),
)
LEVEL_OF_KIND = {
    Organisation.Kind.SCHOOL: Programme.Level.SCHOOL,
    Organisation.Kind.DISTRICT_EDUCATION_OFFICE: Programme.Level.DISTRICT,
    Organisation.Kind.PROVINCE: Programme.Level.REGION,
    Organisation.Kind.REGIONAL_OFFICE: Programme.Level.REGION,
    Organisation.Kind.MINISTRY: Programme.Level.NATIONAL,
    Organisation.Kind.DEPARTMENT: Programme.Level.NATIONAL,
}


def _person(user: Any) -> Person:
    person = org_access.person_of(user)
    if person is None:
        raise ActionRefused(_("Your account is not linked to a person in any organisation."))
    return person


def _require_manager(user: Any, programme: Programme) -> None:
    if not access.can_manage(user, programme):
        raise ActionRefused(_("Only the organisation's administrators and KM team manage award programmes."))


def _users(people: list[Person]) -> list[Any]:
    return [p.user for p in people if p.user_id and p.user is not None]


def accepting(programme: Programme, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        programme.state == Programme.State.OPEN
        and programme.nominations_open <= today <= programme.nominations_close
    )


def _check_dates(data: dict[str, Any]) -> None:
    start, end, deadline = data["nominations_open"], data["nominations_close"], data["scoring_deadline"]
    if end < start:
        raise InvalidAction(
            _("Nominations must close on or after the day they open."), field="nominations_close"
        )
    if deadline < end:
        raise InvalidAction(_("The scoring deadline must fall on or after the day nominations close."),
                            field="scoring_deadline")  # fmt: skip


def _set_categories(programme: Programme, categories: list[tuple[str, int]]) -> None:
    if not categories:
        raise InvalidAction(_("Choose at least one category."), field="categories")
    kinds = [k for k, _places in categories]
    if Nomination.objects.filter(programme=programme).exclude(category__kind__in=kinds).exists():
        raise InvalidAction(_("A category with nominations cannot be removed."), field="categories")
    Category.objects.filter(programme=programme).exclude(kind__in=kinds).delete()
    for order, (kind, places) in enumerate(categories):
        Category.objects.update_or_create(
            programme=programme, kind=kind,
            defaults={"order": order, "places": max(1, min(int(places), 10)), "name": Category.THAI[kind]},
        )  # fmt: skip


def _set_criteria(programme: Programme, criteria: list[tuple[str, int]]) -> None:
    rows = [(name.strip()[:300], weight) for name, weight in criteria if name.strip()]
    if not rows:
        raise InvalidAction(_("Give at least one criterion."), field="criteria")
    if any(not 1 <= w <= 100 for _n, w in rows):
        raise InvalidAction(_("A weight is a whole number from 1 to 100."), field="criteria")
    if Score.objects.filter(nomination__programme=programme).exists():
        raise InvalidAction(_("The criteria cannot change once the committee has started scoring."),
                            field="criteria")  # fmt: skip
    Criterion.objects.filter(programme=programme).delete()
    Criterion.objects.bulk_create(
        Criterion(programme=programme, name=n, weight=w, order=i) for i, (n, w) in enumerate(rows)
    )


FIELDS = ("title", "fiscal_year", "level", "description", "scale", "nominations_open", "nominations_close",
          "scoring_deadline")  # fmt: skip


@transaction.atomic
def create_programme(org: Organisation, data: dict[str, Any], *, categories: list[tuple[str, int]],
                     criteria: list[tuple[str, int]], acting_user: Any) -> Programme:  # fmt: skip
    if not access.can_manage_org(acting_user, org):
        raise ActionRefused(_("Only the organisation's administrators and KM team manage award programmes."))
    _check_dates(data)
    programme = Programme.objects.create(organisation=org, created_by=_person(acting_user),
                                         **{k: data[k] for k in FIELDS})  # fmt: skip
    _set_categories(programme, categories)
    _set_criteria(programme, criteria)
    record("awards.create", actor=acting_user, obj=programme, organisation=org,
           data={"title": programme.title, "year": programme.fiscal_year, "categories": [k for k, _p in categories]})  # fmt: skip
    return programme


@transaction.atomic
def update_programme(programme: Programme, data: dict[str, Any], *, categories: list[tuple[str, int]],
                     criteria: list[tuple[str, int]], version: int, acting_user: Any) -> Programme:  # fmt: skip
    _require_manager(acting_user, programme)
    row = Programme.objects.select_for_update().get(pk=programme.pk)
    if row.version != version:
        raise EditConflict(row.version)
    if row.state not in (Programme.State.DRAFT, Programme.State.OPEN):
        raise InvalidAction(_("The programme cannot change once nominations have closed."))
    _check_dates(data)
    for k in FIELDS:
        setattr(row, k, data[k])
    row.version += 1
    row.save()
    _set_categories(row, categories)
    if [(c.name, c.weight) for c in Criterion.objects.filter(programme=row)] != [
        (n.strip()[:300], w) for n, w in criteria if n.strip()
    ]:
        _set_criteria(row, criteria)
    record(
        "awards.update", actor=acting_user, obj=row, organisation=row.organisation, data={"title": row.title}
    )
    return row


@transaction.atomic
def set_committee(programme: Programme, people: list[Person], chair: Person, *, acting_user: Any) -> None:
    _require_manager(acting_user, programme)
    if programme.state == Programme.State.ANNOUNCED:
        raise InvalidAction(_("The results have been announced: the committee is final."))
    allowed = set(org_access.network_people(programme.organisation, acting_user).values_list("pk", flat=True))
    wanted = {p.pk for p in people} | {chair.pk}
    if not wanted <= allowed:
        raise InvalidAction(
            _("Choose committee members from the organisation and its network."), field="members"
        )
    removed = list(CommitteeMember.objects.filter(programme=programme).exclude(person_id__in=wanted)
                   .values_list("person_id", flat=True))  # fmt: skip
    Score.objects.filter(nomination__programme=programme, scorer_id__in=removed).delete()
    CommitteeMember.objects.filter(programme=programme).exclude(person_id__in=wanted).delete()
    CommitteeMember.objects.filter(programme=programme).update(is_chair=False)
    have = set(CommitteeMember.objects.filter(programme=programme).values_list("person_id", flat=True))
    CommitteeMember.objects.bulk_create(
        CommitteeMember(programme=programme, person_id=pk) for pk in wanted - have
    )
    CommitteeMember.objects.filter(programme=programme, person=chair).update(is_chair=True)
    record("awards.committee", actor=acting_user, obj=programme, organisation=programme.organisation,
           data={"members": sorted(wanted), "chair": chair.pk, "removed": removed})  # fmt: skip
    added = Person.objects.filter(pk__in=wanted - have).select_related("user")
    notify(_users(list(added)), kind="awards.committee", actor=acting_user, url=programme.get_absolute_url(),
           text=_("You are on the committee of the award %(title)s.") % {"title": programme.title})  # fmt: skip


@transaction.atomic
def open_programme(programme: Programme, *, acting_user: Any) -> None:
    _require_manager(acting_user, programme)
    row = Programme.objects.select_for_update().get(pk=programme.pk)
    if row.state != Programme.State.DRAFT:
        raise InvalidAction(_("The programme is open already."))
    if (
        not Criterion.objects.filter(programme=row).exists()
        or not Category.objects.filter(programme=row).exists()
    ):
        raise InvalidAction(_("Give the categories and criteria first."))
    if not CommitteeMember.objects.filter(programme=row, is_chair=True).exists():
        raise InvalidAction(_("Name the committee and its chair first."))
    Programme.objects.filter(pk=row.pk).update(state=Programme.State.OPEN, version=row.version + 1)
    programme.state, programme.version = Programme.State.OPEN, row.version + 1
    record("awards.open", actor=acting_user, obj=row, organisation=row.organisation,
           data={"open": row.nominations_open.isoformat(), "close": row.nominations_close.isoformat()})  # fmt: skip


@transaction.atomic
def close_nominations(programme: Programme, *, acting_user: Any = None) -> bool:
    """Open → scoring: by a manager or the chair, or by the daily job after the closing day."""
    if acting_user is not None and not (access.can_manage(acting_user, programme)
                                        or access.is_chair(acting_user, programme)):  # fmt: skip
        raise ActionRefused(_("Only the managers and the chair close the nominations."))
    if not Programme.objects.filter(pk=programme.pk, state=Programme.State.OPEN).update(
        state=Programme.State.SCORING, version=programme.version + 1
    ):
        raise InvalidAction(_("Nominations are not open."))
    programme.state, programme.version = Programme.State.SCORING, programme.version + 1
    n = Nomination.objects.filter(programme=programme, state__in=Nomination.SCORED_STATES).count()
    record("awards.close", actor=acting_user, obj=programme, organisation=programme.organisation,
           data={"nominations": n})  # fmt: skip
    members = [
        m.person for m in CommitteeMember.objects.filter(programme=programme).select_related("person__user")
    ]
    notify(_users(members), kind="awards.scoring", actor=acting_user, url=programme.get_absolute_url() + "scores/",
           text=_("Nominations for %(title)s have closed: please score them by %(due)s.")
           % {"title": programme.title, "due": thaidate.format_date(programme.scoring_deadline, "medium")})  # fmt: skip
    return True


def close_if_due(programme: Programme) -> None:
    """A programme whose closing day has passed moves to scoring when it is next looked at."""
    if programme.state == Programme.State.OPEN and programme.nominations_close < timezone.localdate():
        try:
            close_nominations(programme)
        except InvalidAction:
            programme.refresh_from_db()


# Nominations --------------------------------------------------------------------


def eligible(programme: Programme, target: str, user: Any) -> Any:
    """What `user` may nominate of a kind: in the programme's organisation tree, and readable."""
    path = programme.organisation.path
    if target == Nomination.Target.ITEM:
        from platu.knowledge.models import Item

        return Item.objects.visible_to(user).filter(organisation__path__startswith=path,
                                                     state__in=Item.LIVE_STATES)  # fmt: skip
    if target in (Nomination.Target.COMMUNITY, Nomination.Target.SESSION):
        from platu.communities.models import Community, Session

        communities = Community.objects.visible_to(user).filter(organisation__path__startswith=path)
        if target == Nomination.Target.COMMUNITY:
            return communities
        return Session.objects.filter(community__in=communities).exclude(state=Session.State.CANCELLED)
    if target == Nomination.Target.PERSON:
        return (
            Person.objects.for_user(user).filter(memberships__organisation__path__startswith=path).distinct()
        )
    raise InvalidAction(_("Choose what you nominate."), field="target")


def _title_of(target: str, obj: Any) -> str:
    if target == Nomination.Target.PERSON:
        return str(obj.full_name)
    if target == Nomination.Target.COMMUNITY:
        return str(obj.name)
    return str(obj.title)


def _kind(nomination: Nomination, nominator: Person) -> str:
    if nominator.pk in access.nominee_people(nomination):
        return Nomination.Kind.SELF
    org = nomination.programme.organisation
    heads = [m.organisation.path for m in nominator.memberships.select_related("organisation")
             .filter(role_rows__role=Role.CEO)]  # fmt: skip
    if any(p.startswith(org.path) or org.path.startswith(p) for p in heads):
        return Nomination.Kind.HEAD
    return Nomination.Kind.PEER


@transaction.atomic
def nominate(programme: Programme, category: Category, target: str, obj: Any, statement: str, *,
             acting_user: Any, files: list[Any] | None = None) -> Nomination:  # fmt: skip
    nominator = _person(acting_user)
    if not accepting(programme):
        raise InvalidAction(_("Nominations for this programme are not open."))
    if category.programme_id != programme.pk:
        raise InvalidAction(_("Choose a category of this programme."), field="category")
    if target not in category.targets:
        raise InvalidAction(_("This category does not take this kind of nominee."), field="target")
    if obj is None or not eligible(programme, target, acting_user).filter(pk=obj.pk).exists():
        raise InvalidAction(_("Choose a nominee you may see in the organisation."), field="target")
    statement = (statement or "").strip()
    if len(statement) < 20:
        raise InvalidAction(_("Say in a few sentences why they deserve the award (at least 20 letters)."),
                            field="statement")  # fmt: skip
    if Nomination.objects.filter(programme=programme, category=category, target=target,
                                 state__in=Nomination.SCORED_STATES, **{target: obj}).exists():  # fmt: skip
        raise InvalidAction(_("This nominee has been nominated in this category already."), field="target")
    row = Nomination(programme=programme, category=category, target=target, title=_title_of(target, obj)[:300],
                     statement=statement, nominator=nominator, **{target: obj})  # fmt: skip
    row.kind = _kind(row, nominator)
    row.save()
    for upload in files or []:
        _save_file(row, upload, acting_user)
    record("awards.nominate", actor=acting_user, obj=row, organisation=programme.organisation,
           data={"programme": programme.pk, "category": category.kind, "target": target, "pk": obj.pk,
                 "kind": row.kind, "files": len(files or [])})  # fmt: skip
    chair = (
        CommitteeMember.objects.filter(programme=programme, is_chair=True)
        .select_related("person__user")
        .first()
    )
    if chair is not None:
        notify(_users([chair.person]), kind="awards.nomination", actor=acting_user, url=row.get_absolute_url(),
               text=_("A new nomination for %(title)s: %(nominee)s.") % {"title": programme.title, "nominee": row.title})  # fmt: skip
    return row


def _save_file(nomination: Nomination, upload: Any, acting_user: Any) -> NominationFile:
    from platu.knowledge.files import store_upload

    row: NominationFile = store_upload(NominationFile(nomination=nomination, added_by=acting_user), upload)
    return row


@transaction.atomic
def add_evidence(nomination: Nomination, upload: Any, *, acting_user: Any) -> NominationFile:
    person = _person(acting_user)
    if nomination.nominator_id != person.pk:
        raise ActionRefused(_("Only the nominator adds evidence."))
    if not accepting(nomination.programme) or nomination.state not in Nomination.SCORED_STATES:
        raise InvalidAction(_("Evidence is added while nominations are open."))
    row = _save_file(nomination, upload, acting_user)
    record("awards.evidence", actor=acting_user, obj=nomination, organisation=nomination.programme.organisation,
           data={"file": row.name, "size": row.size})  # fmt: skip
    return row


@transaction.atomic
def withdraw(nomination: Nomination, *, acting_user: Any) -> None:
    person = _person(acting_user)
    if nomination.nominator_id != person.pk:
        raise ActionRefused(_("Only the nominator withdraws a nomination."))
    if not accepting(nomination.programme) or nomination.state not in Nomination.SCORED_STATES:
        raise InvalidAction(_("A nomination is withdrawn while nominations are open."))
    Nomination.objects.filter(pk=nomination.pk).update(
        state=Nomination.State.WITHDRAWN, version=nomination.version + 1
    )
    nomination.state = Nomination.State.WITHDRAWN
    record(
        "awards.withdraw", actor=acting_user, obj=nomination, organisation=nomination.programme.organisation
    )


@transaction.atomic
def review(nomination: Nomination, accept: bool, note: str = "", *, acting_user: Any) -> None:
    programme = nomination.programme
    if not access.is_chair(acting_user, programme):
        raise ActionRefused(_("Only the committee's chair reviews nominations."))
    if programme.state not in (Programme.State.OPEN, Programme.State.SCORING):
        raise InvalidAction(_("The results have been announced: nominations are final."))
    if nomination.state == Nomination.State.WITHDRAWN:
        raise InvalidAction(_("This nomination was withdrawn."))
    note = (note or "").strip()[:500]
    if not accept and not note:
        raise InvalidAction(_("Say why the nomination is not eligible."), field="note")
    state = Nomination.State.ACCEPTED if accept else Nomination.State.REJECTED
    Nomination.objects.filter(pk=nomination.pk).update(state=state, review_note=note, reviewed_at=timezone.now(),
                                                       reviewed_by=_person(acting_user), version=nomination.version + 1)  # fmt: skip
    if not accept:
        Score.objects.filter(nomination=nomination).delete()
    nomination.state = state
    record("awards.review", actor=acting_user, obj=nomination, organisation=programme.organisation,
           data={"state": state, "note": note})  # fmt: skip
    if not accept and nomination.nominator is not None:
        notify(_users([nomination.nominator]), kind="awards.review", actor=acting_user,
               url=nomination.get_absolute_url(),
               text=_("Your nomination of %(nominee)s is not eligible: %(note)s") % {"nominee": nomination.title, "note": note})  # fmt: skip


# Scores ---------------------------------------------------------------------------


@transaction.atomic
def save_scores(programme: Programme, values: dict[tuple[int, int], int | None], *, acting_user: Any) -> int:
    """The member's own values (nomination, criterion) → value; None clears a cell."""
    person = _person(acting_user)
    if not access.is_committee(acting_user, programme):
        raise ActionRefused(_("Only the committee scores the nominations."))
    row = Programme.objects.select_for_update().get(pk=programme.pk)
    if row.state != Programme.State.SCORING:
        raise InvalidAction(
            _("Scores are given after nominations close and until the results are announced.")
        )
    allowed_values = set(row.values)
    nominations = {n.pk: n for n in scoring.scored_nominations(row)}
    criteria = set(Criterion.objects.filter(programme=row).values_list("pk", flat=True))
    changed = 0
    for (nomination_id, criterion_id), value in values.items():
        nomination = nominations.get(nomination_id)
        if nomination is None or criterion_id not in criteria:
            continue
        if access.conflicted(person, nomination):
            raise InvalidAction(_("You do not score a nomination you made or that is about you."))
        if value is None:
            changed += Score.objects.filter(
                nomination=nomination, criterion_id=criterion_id, scorer=person
            ).delete()[0]
            continue
        if value not in allowed_values:
            raise InvalidAction(_("Give each criterion one of the values %(values)s.")
                                % {"values": " ".join(str(v) for v in sorted(allowed_values, reverse=True))})  # fmt: skip
        _obj, _created = Score.objects.update_or_create(
            nomination=nomination, criterion_id=criterion_id, scorer=person, defaults={"value": value}
        )
        changed += 1
    record("awards.score", actor=acting_user, obj=row, organisation=row.organisation, data={"cells": changed})
    return changed


# Results ---------------------------------------------------------------------------


def _recipients(nomination: Nomination) -> list[tuple[Person | None, str]]:
    if nomination.target == Nomination.Target.PERSON and nomination.person is not None:
        return [(nomination.person, nomination.person.full_name)]
    if nomination.target == Nomination.Target.ITEM and nomination.item is not None:
        item = nomination.item
        authors = [item.owner, *item.coauthors.exclude(pk=item.owner_id).order_by("sort_key")]
        return [(p, p.full_name) for p in authors]
    if nomination.target == Nomination.Target.SESSION and nomination.session is not None:
        return [(None, nomination.session.community.name)]
    if nomination.target == Nomination.Target.COMMUNITY and nomination.community is not None:
        return [(None, nomination.community.name)]
    return [(None, nomination.title)]


def _winner(nomination: Nomination) -> tuple[str, str]:
    """(winner, work) as printed: the people, the community, and the work they are awarded for."""
    names = [name for _p, name in _recipients(nomination)]
    if nomination.target in (Nomination.Target.ITEM, Nomination.Target.SESSION):
        return " และ ".join(names)[:300], nomination.title
    return names[0] if names else nomination.title, ""


@transaction.atomic
def announce(programme: Programme, *, acting_user: Any) -> list[Award]:
    """The chair announces: the awards are computed from the scores and frozen, with their
    certificates; the matrix becomes visible to the committee."""
    if not access.is_chair(acting_user, programme):
        raise ActionRefused(_("Only the committee's chair announces the results."))
    row = Programme.objects.select_for_update().get(pk=programme.pk)
    if row.state != Programme.State.SCORING:
        raise InvalidAction(_("The results are announced once nominations have closed, and only once."))
    matrix = scoring.build(row)
    won = scoring.winners(matrix)
    if not won:
        raise InvalidAction(_("No nomination has been scored yet."))
    today = timezone.localdate()
    awards = []
    for r in won:
        n = r.nomination
        winner, work = _winner(n)
        award = Award.objects.create(programme=row, nomination=n, category=n.category, rank=r.rank,
                                     score=r.average, placement=scoring.placement(r.rank), winner_name=winner,
                                     work_title=work)  # fmt: skip
        Certificate.objects.bulk_create(
            Certificate(award=award, person=p, recipient_name=name[:300], issued_on=today)
            for p, name in _recipients(n)
        )
        awards.append(award)
    chair = _person(acting_user)
    Programme.objects.filter(pk=row.pk).update(state=Programme.State.ANNOUNCED, announced_at=timezone.now(),
                                               announced_by=chair, version=row.version + 1)  # fmt: skip
    programme.state = Programme.State.ANNOUNCED
    unfinished = [p.pk for p in matrix.scorers if not matrix.finished.get(p.pk)]
    record("awards.announce", actor=acting_user, obj=row, organisation=row.organisation, data={
        "awards": [{"nomination": a.nomination_id, "rank": a.rank, "score": str(a.score)} for a in awards],
        "scorers": [p.pk for p in matrix.scorers], "unfinished": unfinished,
    })  # fmt: skip
    people: set[Person] = {c.person for c in Certificate.objects.filter(award__in=awards, person__isnull=False)
                           .select_related("person__user") if c.person is not None}  # fmt: skip
    people |= {n for n in (a.nomination.nominator for a in awards) if n is not None}
    notify(_users(list(people)), kind="awards.announce", actor=acting_user, url=row.get_absolute_url(),
           text=_("The results of %(title)s have been announced.") % {"title": row.title})  # fmt: skip
    return awards


@transaction.atomic
def revoke(certificate: Certificate, reason: str, *, acting_user: Any) -> None:
    programme = certificate.award.programme
    _require_manager(acting_user, programme)
    reason = (reason or "").strip()[:300]
    if not reason:
        raise InvalidAction(_("Say why the certificate is revoked."), field="reason")
    if certificate.revoked_at is not None:
        raise InvalidAction(_("This certificate has been revoked already."))
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now(), revoked_reason=reason,
                                                         revoked_by=_person(acting_user))  # fmt: skip
    record("awards.revoke", actor=acting_user, obj=certificate, organisation=programme.organisation,
           data={"award": certificate.award_id, "recipient": certificate.recipient_name, "reason": reason})  # fmt: skip


# Forwarding to the next level ---------------------------------------------------------


def forward_targets(award: Award) -> list[tuple[Programme, Category]]:
    """Open programmes of the parent organisation with a category of the award's kind, that the
    winner has not been forwarded to yet."""
    org = award.programme.organisation
    if not org.parent_id:
        return []
    today = timezone.localdate()
    out = []
    for category in (
        Category.objects.filter(programme__organisation_id=org.parent_id, programme__state=Programme.State.OPEN,
                                kind=award.category.kind)
        .filter(Q(programme__nominations_open__lte=today), Q(programme__nominations_close__gte=today))
        .exclude(programme__nominations__forwarded_from=award)
        .select_related("programme__organisation")
    ):  # fmt: skip
        out.append((category.programme, category))
    return out


@transaction.atomic
def forward(award: Award, target: Programme, *, acting_user: Any) -> Nomination:
    programme = award.programme
    if not (access.can_manage(acting_user, programme) or access.is_chair(acting_user, programme)):
        raise ActionRefused(_("Only the managers and the chair forward a winner to the next level."))
    match = {p.pk: c for p, c in forward_targets(award)}
    category = match.get(target.pk)
    if category is None:
        raise InvalidAction(_("Choose an open programme of the organisation above, with the same category."),
                            field="programme")  # fmt: skip
    if Nomination.objects.filter(programme=target, forwarded_from=award).exists():
        raise InvalidAction(_("This winner has been forwarded to that programme already."), field="programme")
    source = award.nomination
    row = Nomination.objects.create(
        programme=target, category=category, kind=Nomination.Kind.FORWARDED, target=source.target,
        item=source.item, community=source.community, session=source.session, person=source.person,
        title=source.title, nominator=_person(acting_user), forwarded_from=award,
        statement=f"{source.statement}\n\n({award.placement} {award.category.name} · {programme.title} · "
                  f"{programme.organisation.name_th})",
    )  # fmt: skip
    for f in source.files.all():
        try:
            with f.file.open("rb") as handle:
                data = handle.read()
        except (FileNotFoundError, OSError):
            continue
        copy = NominationFile(nomination=row, name=f.name, content_type=f.content_type, size=f.size,
                              sha256=f.sha256, added_by=acting_user)  # fmt: skip
        copy.file.save(copy.uid.hex, ContentFile(data), save=False)
        copy.save()
    record("awards.forward", actor=acting_user, obj=row, organisation=programme.organisation,
           data={"award": award.pk, "to": target.pk, "to_org": target.organisation_id})  # fmt: skip
    chair = (
        CommitteeMember.objects.filter(programme=target, is_chair=True).select_related("person__user").first()
    )
    if chair is not None:
        notify(_users([chair.person]), kind="awards.nomination", actor=acting_user, url=row.get_absolute_url(),
               text=_("A winner forwarded from %(org)s for %(title)s: %(nominee)s.")
               % {"org": programme.organisation.name_th, "title": target.title, "nominee": row.title})  # fmt: skip
    return row
