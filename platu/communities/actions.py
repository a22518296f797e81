"""Changing communities and their sessions. Each action checks permission, runs in one
transaction and writes an audit row."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.audit.log import record
from platu.communities import access
from platu.communities.models import (
    Attendance,
    Community,
    Guest,
    Member,
    Rsvp,
    Series,
    Session,
    SessionRecord,
)
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.orgs import access as org_access
from platu.orgs.models import Organisation, Person

MAX_OCCURRENCES = 60
MAX_SERIES_DAYS = 400
CHECKIN_SALT = "platu.communities.checkin"
CHECKIN_EARLY = dt.timedelta(hours=1)
CHECKIN_LATE = dt.timedelta(hours=1)


def _require_open_record(session: Session) -> None:
    if SessionRecord.objects.filter(session=session, signed_at__isnull=False).exists():
        raise InvalidAction(_("The record has been signed off; ask the head to reopen it."))


def _person(user: Any) -> Person:
    person = org_access.person_of(user)
    if person is None:
        raise ActionRefused(_("Your account is not linked to a person in any organisation."))
    return person


def _require_manage(user: Any, community: Community) -> None:
    if not access.can_manage(user, community):
        raise ActionRefused(
            _("Only the community's facilitators and the organisation's administrators may do this.")
        )


# -- communities ----------------------------------------------------------------------------------

FIELDS = (
    "name",
    "purpose",
    "charter",
    "kind",
    "status",
    "visibility",
    "strategic_issue",
    "needed_knowledge",
    "kpi",
)


def _check_visibility(org: Organisation, visibility: Any, user: Any) -> None:
    if visibility == Community.Visibility.PUBLIC and not org_access.can_admin(user, org):
        raise ActionRefused(_("Only the organisation's administrators open a community to all of Platu."))


@transaction.atomic
def create_community(org: Organisation, data: dict[str, Any], *, acting_user: Any) -> Community:
    if not access.can_create(acting_user, org):
        raise ActionRefused(_("Only members of the organisation may start a community in it."))
    person = _person(acting_user)
    _check_visibility(org, data.get("visibility"), acting_user)
    network = org.network_path
    community = Community(organisation=org, network_path=network, **{k: data[k] for k in FIELDS if k in data})
    community.save()
    Member.objects.create(community=community, person=person, role=Member.Role.FACILITATOR)
    record(
        "community.create", actor=acting_user, obj=community, organisation=org, data={"name": community.name}
    )
    return community


@transaction.atomic
def update_community(
    community: Community, data: dict[str, Any], *, acting_user: Any, base_version: int
) -> None:
    _require_manage(acting_user, community)
    _check_visibility(community.organisation, data.get("visibility"), acting_user)
    locked = Community.objects.select_for_update().get(pk=community.pk)
    if locked.version != base_version:
        raise EditConflict(locked.version)
    changed = [k for k in FIELDS if k in data and getattr(locked, k) != data[k]]
    for k in changed:
        setattr(locked, k, data[k])
    locked.version = F("version") + 1
    locked.save()
    record(
        "community.edit",
        actor=acting_user,
        obj=locked,
        organisation=locked.organisation,
        data={"fields": changed},
    )


@transaction.atomic
def join(community: Community, *, acting_user: Any) -> Member:
    """Join at once (the home organisation's members), or ask to join (others who may see it)."""
    person = _person(acting_user)
    if community.status == Community.Status.CLOSED:
        raise InvalidAction(_("This community is closed."))
    state = (
        Member.State.MEMBER if access.can_join_directly(acting_user, community) else Member.State.REQUESTED
    )
    member, created = Member.objects.get_or_create(
        community=community, person=person, defaults={"state": state}
    )
    if not created and member.state == Member.State.INVITED:
        member.state = Member.State.MEMBER  # accepting an invitation
        member.save(update_fields=["state"])
    elif not created:
        return member
    record("community.join" if member.state == Member.State.MEMBER else "community.request", actor=acting_user,
           obj=community, organisation=community.organisation, data={"person": person.pk})  # fmt: skip
    if member.state == Member.State.REQUESTED:
        from platu.notify.send import notify

        facilitators = Member.objects.filter(
            community=community, role=Member.Role.FACILITATOR, state=Member.State.MEMBER
        )
        notify([m.person.user for m in facilitators.select_related("person__user") if m.person.user],
               kind="community.request", url=community.get_absolute_url(), actor=acting_user,
               text=_("%(name)s asks to join %(community)s") % {"name": person.full_name, "community": community.name})  # fmt: skip
    return member


@transaction.atomic
def leave(community: Community, *, acting_user: Any) -> None:
    person = _person(acting_user)
    member = Member.objects.filter(community=community, person=person).first()
    if member is None:
        return
    others = Member.objects.filter(
        community=community, role=Member.Role.FACILITATOR, state=Member.State.MEMBER
    ).exclude(pk=member.pk)
    if member.role == Member.Role.FACILITATOR and member.state == Member.State.MEMBER and not others.exists():
        raise InvalidAction(_("A community needs a facilitator: name another before you leave."))
    member.delete()
    record("community.leave", actor=acting_user, obj=community, organisation=community.organisation,
           data={"person": person.pk})  # fmt: skip


@transaction.atomic
def set_member(community: Community, person: Person, *, role: str, state: str, acting_user: Any) -> Member:
    """Invite a person (they accept themselves), accept a request, or change a member's role.
    Only the organisation's administrators name an enabler (คุณเอื้อ): the enabler signs hours off."""
    _require_manage(acting_user, community)
    if role not in Member.Role.values or state not in (Member.State.MEMBER, Member.State.INVITED):
        raise InvalidAction(_("Choose a role from the list."))
    if role == Member.Role.ENABLER and not org_access.can_admin(acting_user, community.organisation):
        raise ActionRefused(_("Only the organisation's administrators name an enabler."))
    member = Member.objects.filter(community=community, person=person).first()
    if member is None:
        # Nobody becomes a member without saying so: a new person is invited.
        member = Member.objects.create(
            community=community, person=person, role=role, state=Member.State.INVITED
        )
    else:
        member.role = role
        if member.state == Member.State.REQUESTED and state == Member.State.MEMBER:
            member.state = Member.State.MEMBER  # a request accepted
        member.save(update_fields=["role", "state"])
    if not community.members.filter(role=Member.Role.FACILITATOR, state=Member.State.MEMBER).exists():
        raise InvalidAction(_("A community needs a facilitator."))
    record("community.member", actor=acting_user, obj=community, organisation=community.organisation,
           data={"person": person.pk, "role": role, "state": member.state})  # fmt: skip
    return member


@transaction.atomic
def decline_member(community: Community, member: Member, *, acting_user: Any) -> None:
    """A facilitator declines a request or withdraws an invitation."""
    _require_manage(acting_user, community)
    if member.state == Member.State.MEMBER:
        raise InvalidAction(_("Remove a member instead."))
    pk = member.person_id
    member.delete()
    record("community.member_removed", actor=acting_user, obj=community, organisation=community.organisation,
           data={"person": pk, "declined": True})  # fmt: skip


@transaction.atomic
def remove_member(community: Community, member: Member, *, acting_user: Any) -> None:
    _require_manage(acting_user, community)
    pk = member.person_id
    member.delete()
    if not community.members.filter(role=Member.Role.FACILITATOR, state=Member.State.MEMBER).exists():
        raise InvalidAction(_("A community needs a facilitator."))
    record("community.member_removed", actor=acting_user, obj=community, organisation=community.organisation,
           data={"person": pk})  # fmt: skip


@transaction.atomic
def add_guest(community: Community, name: str, organisation_name: str, *, acting_user: Any) -> Guest:
    _require_manage(acting_user, community)
    name = " ".join(name.split())[:200]
    if not name:
        raise InvalidAction(_("Type the guest's name."), field="name")
    guest = Guest.objects.create(
        community=community, name=name, organisation_name=organisation_name.strip()[:255]
    )
    record(
        "community.guest",
        actor=acting_user,
        obj=community,
        organisation=community.organisation,
        data={"name": name},
    )
    return guest


# -- sessions -------------------------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def occurrences(
    first: dt.date, rule: str, *, until: dt.date | None, dates: Iterable[dt.date] = ()
) -> list[dt.date]:
    """The days of a series, first included. A repeating series needs an end, within a year or so."""
    if rule == Series.Rule.DATES:
        days = sorted({first, *dates})
    else:
        if until is None:
            raise InvalidAction(_("A repeating series needs an end date."), field="until")
        if until < first:
            raise InvalidAction(_("The series ends before its first session."), field="until")
        if (until - first).days > MAX_SERIES_DAYS:
            raise InvalidAction(
                _("A series may run for a year at most; schedule the next one later."), field="until"
            )
        days, n = [], 0
        while True:
            day = (first + dt.timedelta(days=7 * n * (2 if rule == Series.Rule.FORTNIGHTLY else 1))
                   if rule != Series.Rule.MONTHLY else _add_months(first, n))  # fmt: skip
            if day > until:
                break
            days.append(day)
            n += 1
    if len(days) > MAX_OCCURRENCES:
        raise InvalidAction(_("A series may have at most %(n)s sessions.") % {"n": MAX_OCCURRENCES})
    return days


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


@transaction.atomic
def schedule(
    community: Community,
    *,
    title: str,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    place: str = "",
    online_url: str = "",
    agenda: str = "",
    rule: str = "",
    until: dt.date | None = None,
    dates: Iterable[dt.date] = (),
    acting_user: Any,
) -> list[Session]:
    """One session, or a series of them (weekly, fortnightly, monthly or on chosen dates)."""
    _require_manage(acting_user, community)
    if end <= start:
        raise InvalidAction(_("The session ends before it starts."), field="end")
    series = None
    days = [day]
    if rule:
        if rule not in Series.Rule.values:
            raise InvalidAction(_("Choose how the sessions repeat from the list."), field="rule")
        days = occurrences(day, rule, until=until, dates=dates)
        series = Series.objects.create(community=community, rule=rule, until=until or max(days))
    sessions = [
        Session(community=community, series=series, title=title, starts_at=_at(d, start), ends_at=_at(d, end),
                place=place, online_url=online_url, agenda=agenda)
        for d in days
    ]  # fmt: skip
    Session.objects.bulk_create(sessions)
    from platu.search import pending

    pending.note("communities", [community.pk])  # bulk_create sends no signal: the titles join search
    record("community.schedule", actor=acting_user, obj=community, organisation=community.organisation,
           data={"title": title, "sessions": len(sessions), "rule": rule})  # fmt: skip
    return sessions


@transaction.atomic
def update_session(
    session: Session, data: dict[str, Any], *, scope: str, acting_user: Any, base_version: int | None = None
) -> int:
    """Change one session, or it and every following session of its series ("following"): the
    texts and the times of day; each keeps its own date. With base_version (the version read),
    a session someone changed since is refused: EditConflict."""
    _require_manage(acting_user, session.community)
    if base_version is not None:
        current = Session.objects.select_for_update().values_list("version", flat=True).get(pk=session.pk)
        if current != base_version:
            raise EditConflict(current)
    start, end = data["start"], data["end"]
    if end <= start:
        raise InvalidAction(_("The session ends before it starts."), field="end")
    targets = [session]
    if scope == "following" and session.series_id:
        targets = list(Session.objects.filter(series_id=session.series_id, starts_at__gte=session.starts_at))
    for s in targets:
        day = (
            timezone.localtime(s.starts_at).date()
            if s.pk != session.pk
            else data.get("day") or timezone.localtime(s.starts_at).date()
        )
        s.title, s.place, s.online_url, s.agenda = (
            data["title"],
            data["place"],
            data["online_url"],
            data["agenda"],
        )
        moved = (s.starts_at, s.ends_at) != (_at(day, start), _at(day, end))
        s.starts_at, s.ends_at = _at(day, start), _at(day, end)
        s.version += 1
        if moved:
            s.reminded_at = None  # a moved session is reminded of again
        s.save()
        if moved:
            Attendance.objects.filter(session=s).update(hours=s.hours)
    record("community.session_edit", actor=acting_user, obj=session, organisation=session.community.organisation,
           data={"scope": scope, "sessions": len(targets)})  # fmt: skip
    return len(targets)


@transaction.atomic
def cancel_session(session: Session, *, acting_user: Any) -> None:
    _require_manage(acting_user, session.community)
    Session.objects.filter(pk=session.pk).update(state=Session.State.CANCELLED, version=F("version") + 1)
    record(
        "community.session_cancel",
        actor=acting_user,
        obj=session,
        organisation=session.community.organisation,
    )


@transaction.atomic
def rsvp(session: Session, answer: str, *, whole_series: bool, acting_user: Any) -> Rsvp:
    person = _person(acting_user)
    if not access.is_member(acting_user, session.community):
        raise ActionRefused(_("Join the community to answer its invitations."))
    if answer not in Rsvp.Answer.values:
        raise InvalidAction(_("Choose going, maybe or not going."))
    if whole_series and session.series_id:
        Rsvp.objects.filter(
            person=person, session__series_id=session.series_id
        ).delete()  # the series answer holds
        row, _created = Rsvp.objects.update_or_create(
            person=person, series_id=session.series_id, defaults={"answer": answer}
        )
    else:
        row, _created = Rsvp.objects.update_or_create(
            person=person, session=session, defaults={"answer": answer}
        )
    return row


def answer_of(person: Person | None, session: Session) -> str:
    if person is None:
        return ""
    own = Rsvp.objects.filter(person=person, session=session).values_list("answer", flat=True).first()
    if own:
        return own
    if session.series_id:
        return (
            Rsvp.objects.filter(person=person, series_id=session.series_id)
            .values_list("answer", flat=True)
            .first()
            or ""
        )
    return ""


@transaction.atomic
def mark_attendance(
    session: Session, present: Iterable[int], *, guests: Iterable[str] = (), acting_user: Any
) -> int:
    """The facilitator's list of who came (member person ids), replacing the marked rows; QR
    check-ins stay. Guests without accounts are added by name."""
    _require_manage(acting_user, session.community)
    if session.state == Session.State.CANCELLED:
        raise InvalidAction(_("This session was cancelled."))
    _require_open_record(session)
    members = set(
        Member.objects.filter(community=session.community, state=Member.State.MEMBER).values_list(
            "person_id", flat=True
        )
    )
    chosen = {pk for pk in present if pk in members}
    Attendance.objects.filter(session=session, method=Attendance.Method.MARKED, person__isnull=False).exclude(
        person_id__in=chosen
    ).delete()
    have = set(
        Attendance.objects.filter(session=session, person__isnull=False).values_list("person_id", flat=True)
    )
    Attendance.objects.bulk_create(
        Attendance(session=session, person_id=pk, hours=session.hours, recorded_by=acting_user)
        for pk in sorted(chosen - have)
    )
    for name in guests:
        name = " ".join(name.split())[:200]
        if name:
            Attendance.objects.create(
                session=session, guest_name=name, hours=session.hours, recorded_by=acting_user
            )
    Session.objects.filter(pk=session.pk, state=Session.State.SCHEDULED).update(state=Session.State.HELD)
    count = Attendance.objects.filter(session=session).count()
    record("community.attendance", actor=acting_user, obj=session, organisation=session.community.organisation,
           data={"present": sorted(chosen), "count": count})  # fmt: skip
    return count


def checkin_token(session: Session) -> str:
    return signing.TimestampSigner(salt=CHECKIN_SALT).sign(str(session.pk))


@transaction.atomic
def check_in(session: Session, token: str, *, acting_user: Any) -> Attendance:
    """A member checks in with the code on the facilitator's screen (signed, time-limited)."""
    try:
        value = signing.TimestampSigner(salt=CHECKIN_SALT).unsign(
            token, max_age=settings.PLATU_CHECKIN_MINUTES * 60
        )
    except signing.SignatureExpired:
        raise InvalidAction(
            _("This check-in code has expired. Ask the facilitator to show a new one.")
        ) from None
    except signing.BadSignature:
        raise InvalidAction(_("This check-in code is not valid.")) from None
    if value != str(session.pk):
        raise InvalidAction(_("This check-in code belongs to another session."))
    if session.state == Session.State.CANCELLED:
        raise InvalidAction(_("This session was cancelled."))
    now = timezone.now()
    if not session.starts_at - CHECKIN_EARLY <= now <= session.ends_at + CHECKIN_LATE:
        raise InvalidAction(_("Check-in opens an hour before the session and closes an hour after it."))
    _require_open_record(session)
    person = _person(acting_user)
    if not access.is_member(acting_user, session.community):
        raise ActionRefused(_("Only the community's members check in. Ask the facilitator to add you."))
    row, created = Attendance.objects.get_or_create(
        session=session,
        person=person,
        defaults={"method": Attendance.Method.QR, "hours": session.hours, "recorded_by": acting_user},
    )
    if created:
        Session.objects.filter(pk=session.pk, state=Session.State.SCHEDULED).update(state=Session.State.HELD)
        record("community.checkin", actor=acting_user, obj=session, organisation=session.community.organisation,
               data={"person": person.pk})  # fmt: skip
    return row


# -- the session record, its sign-off, and knowledge made from it ---------------------------------


def can_write_record(user: Any, session: Session) -> bool:
    """Facilitators, note-takers and the organisation's administrators."""
    if access.can_manage(user, session.community):
        return True
    member = access.membership(user, session.community)
    return (
        member is not None and member.state == Member.State.MEMBER and member.role == Member.Role.NOTE_TAKER
    )


def can_sign(user: Any, session: Session) -> bool:
    """The group's head: an enabler (คุณเอื้อ) of the community, or the organisation's
    administrators (the principal)."""
    if org_access.can_admin(user, session.community.organisation):
        return True
    member = access.membership(user, session.community)
    return member is not None and member.state == Member.State.MEMBER and member.role == Member.Role.ENABLER


@transaction.atomic
def save_record(
    session: Session, data: dict[str, Any], *, acting_user: Any, base_version: int
) -> SessionRecord:
    from platu.knowledge.sanitize import clean_html, text_to_html

    if not can_write_record(acting_user, session):
        raise ActionRefused(_("Only the facilitators and note-takers write the session's record."))
    record_row, _created = SessionRecord.objects.select_for_update().get_or_create(session=session)
    if record_row.version != base_version and not _created:
        raise EditConflict(record_row.version)
    if record_row.signed_at:
        raise InvalidAction(_("The record has been signed off; ask the head to reopen it."))
    for name in SessionRecord.TEXT_FIELDS:
        setattr(record_row, name, str(data.get(name, ""))[:20000])
    minutes = str(data.get("minutes", ""))[:200000]
    record_row.minutes = clean_html(minutes if "<" in minutes else text_to_html(minutes))
    record_row.written_by = _person(acting_user)
    record_row.version = record_row.version + (0 if _created else 1)
    record_row.save()
    record("community.record", actor=acting_user, obj=session, organisation=session.community.organisation)
    return record_row


@transaction.atomic
def sign_record(session: Session, *, acting_user: Any, reopen: bool = False) -> SessionRecord:
    if not can_sign(acting_user, session):
        raise ActionRefused(
            _("Only the group's head or the organisation's administrators sign the record off.")
        )
    row = SessionRecord.objects.select_for_update().filter(session=session).first()
    if row is None:
        raise InvalidAction(_("Write the session's record first."))
    if not reopen and row.signed_at:
        return row  # already signed (a second click): who signed stays
    person = _person(acting_user)
    attended = Attendance.objects.filter(session=session, person=person).exists()
    if not reopen and (attended or row.written_by_id == person.pk):
        raise ActionRefused(_("Someone who attended the session or wrote its record cannot sign it off."))
    row.signed_by, row.signed_at = (None, None) if reopen else (_person(acting_user), timezone.now())
    row.save(update_fields=["signed_by", "signed_at", "updated_at"])
    record("community.record_reopen" if reopen else "community.record_sign", actor=acting_user, obj=session,
           organisation=session.community.organisation)  # fmt: skip
    return row


def _record_html(session: Session, row: SessionRecord) -> str:
    from django.utils.html import escape, linebreaks

    parts = [
        (_("topic or problem"), row.topic), (_("what we did"), row.activities), (_("results"), row.results),
        (_("reflection"), row.reflection), (_("what to keep"), row.keep), (_("what to improve"), row.improve),
        (_("what we expected"), row.aar_expected), (_("what happened"), row.aar_happened),
        (_("why the difference"), row.aar_why), (_("what we will do next"), row.aar_next),
    ]  # fmt: skip
    html = [
        f"<h2>{escape(str(label)).capitalize()}</h2>{linebreaks(escape(text))}"
        for label, text in parts
        if text.strip()
    ]
    if row.minutes.strip():
        html.append(f"<h2>{escape(_('Minutes'))}</h2>{row.minutes}")
    return "".join(html)


@transaction.atomic
def record_to_knowledge(session: Session, *, acting_user: Any) -> Any:
    """ "บันทึกเป็นความรู้": a draft AAR made from the record, with the session's attending
    members as co-authors, linked both ways."""
    from platu.knowledge import actions as knowledge_actions

    if not can_write_record(acting_user, session):
        raise ActionRefused(_("Only the facilitators and note-takers write the session's record."))
    row = SessionRecord.objects.filter(session=session).first()
    if row is None or not any(getattr(row, n).strip() for n in SessionRecord.TEXT_FIELDS):
        raise InvalidAction(_("Write the session's record first."))
    draft = row.items.filter(state="draft").order_by("-pk").first()
    if draft is not None:
        return draft  # made already: the draft to finish, not a second one
    author = _person(acting_user)
    people = Person.objects.filter(
        pk__in=Attendance.objects.filter(session=session, person__isnull=False).values("person_id")
    ).exclude(pk=author.pk)
    day = timezone.localtime(session.starts_at).date()
    from platu.lib import thaidate

    item = knowledge_actions.create_item(
        session.community.organisation, acting_user=acting_user, kind="aar",
        title=f"{session.title} ({thaidate.format_date(day, 'medium')})"[:200],
        summary=(row.topic or row.results)[:300], body=_record_html(session, row),
        coauthors=list(people), visibility="organisation",
        message=_("From the session %(title)s of %(community)s") % {"title": session.title, "community": session.community.name},
    )  # fmt: skip
    row.items.add(item)
    from platu.communities.records import copy_files_to_item

    copy_files_to_item(session, item, acting_user=acting_user)
    record("community.to_knowledge", actor=acting_user, obj=session, organisation=session.community.organisation,
           data={"item": item.pk})  # fmt: skip
    return item


def plan_activities(session: Session) -> Any:
    """Form 2 activities of the home organisation's plans (the latest revision of each year)."""
    from platu.planning.models import Activity, Plan

    plans = Plan.objects.filter(organisation=session.community.organisation).exclude(
        state=Plan.State.SUPERSEDED
    )
    return (
        Activity.objects.filter(plan__in=plans)
        .select_related("plan")
        .order_by("-plan__fiscal_year", "process", "step", "order")
    )


@transaction.atomic
def link_activities(session: Session, activity_ids: Iterable[int], *, acting_user: Any) -> int:
    _require_manage(acting_user, session.community)
    chosen = list(plan_activities(session).filter(pk__in=list(activity_ids)))
    session.activities.set(chosen)
    record("community.session_activities", actor=acting_user, obj=session, organisation=session.community.organisation,
           data={"activities": [a.pk for a in chosen]})  # fmt: skip
    return len(chosen)
