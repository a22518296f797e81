"""The session record's photos and files (the knowledge upload rules), the organisation's
minimum PLC hours, and the head's approval of a person's hours for an academic term."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.audit.log import record
from platu.communities.models import Attendance, HoursPolicy, RecordFile, Session, SessionRecord, TermApproval
from platu.lib import thaidate
from platu.lib.errors import ActionRefused, InvalidAction
from platu.orgs import access as org_access
from platu.orgs.models import Organisation, Person

MAX_FILES = 30


def _can_write(user: Any, session: Session) -> bool:
    from platu.communities.actions import can_write_record

    return can_write_record(user, session)


def _require_open(session: Session) -> None:
    if SessionRecord.objects.filter(session=session, signed_at__isnull=False).exists():
        raise InvalidAction(_("The record has been signed off; ask the head to reopen it."))


@transaction.atomic
def add_record_file(session: Session, upload: Any, *, acting_user: Any) -> RecordFile:
    """A photo or file of the session, checked like a knowledge attachment (type read from the
    content, size limit, images verified)."""
    from platu.knowledge.files import store_upload

    if not _can_write(acting_user, session):
        raise ActionRefused(_("Only the facilitators and note-takers write the session's record."))
    _require_open(session)
    if RecordFile.objects.filter(session=session).count() >= MAX_FILES:
        raise InvalidAction(_("A session may have at most %(n)s files.") % {"n": MAX_FILES}, field="file")
    row = store_upload(RecordFile(session=session, uploaded_by=acting_user), upload)
    record("community.record_file", actor=acting_user, obj=session, organisation=session.community.organisation,
           data={"file": row.name, "type": row.content_type, "size": row.size})  # fmt: skip
    return row


@transaction.atomic
def delete_record_file(row: RecordFile, *, acting_user: Any) -> None:
    session = row.session
    if not _can_write(acting_user, session):
        raise ActionRefused(_("Only the facilitators and note-takers write the session's record."))
    _require_open(session)
    storage, path = row.file.storage, row.file.name or ""
    row.delete()
    if path:
        transaction.on_commit(lambda: storage.delete(path))
    record("community.record_file_removed", actor=acting_user, obj=session,
           organisation=session.community.organisation, data={"file": row.name})  # fmt: skip


def copy_files_to_item(session: Session, item: Any, *, acting_user: Any) -> int:
    """The record's photos and files go with the knowledge draft made from it."""
    from platu.knowledge.models import Attachment

    n = 0
    for row in RecordFile.objects.filter(session=session):
        attachment = Attachment(item=item, name=row.name, content_type=row.content_type, size=row.size,
                                sha256=row.sha256, uploaded_by=acting_user)  # fmt: skip
        try:
            with row.file.open("rb") as handle:
                attachment.file.save(attachment.uid.hex, handle, save=False)
        except (FileNotFoundError, OSError):
            continue
        attachment.save()
        n += 1
    return n


# -- hours: the minimum and approvals per term ------------------------------------------------------


def minimum(org: Organisation) -> Decimal:
    from django.conf import settings

    policy = HoursPolicy.objects.filter(organisation=org).first()
    return policy.minimum_hours if policy else Decimal(settings.PLATU_PLC_MIN_HOURS)


@transaction.atomic
def set_minimum(org: Organisation, value: Any, *, acting_user: Any) -> HoursPolicy:
    org_access.require_admin(acting_user, org)
    text = str(value).strip().replace(",", "").translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
    try:  # digits and one decimal point only: "1e3" and "nan" are not hours
        hours = Decimal(text) if re.fullmatch(r"\d{1,4}(\.\d{1,2})?", text) else Decimal(-1)
    except (InvalidOperation, ValueError):
        hours = Decimal(-1)
    if hours < 0 or hours > 1000:
        raise InvalidAction(
            _("Give the minimum as a number of hours from 0 to 1,000."), field="minimum_hours"
        )
    policy, _created = HoursPolicy.objects.get_or_create(organisation=org)
    old = policy.minimum_hours
    policy.minimum_hours = hours.quantize(Decimal("0.1"))
    policy.updated_by = acting_user
    policy.save()
    record("community.hours_minimum", actor=acting_user, obj=org, organisation=org,
           data={"from": str(old), "to": str(policy.minimum_hours)})  # fmt: skip
    return policy


def term_hours(person: Person, academic_year: int, term: int) -> Decimal:
    start, end = thaidate.academic_term_bounds(academic_year, term)
    rows = Attendance.objects.filter(
        person=person, session__starts_at__date__gte=start, session__starts_at__date__lte=end
    ).exclude(session__state=Session.State.CANCELLED)
    return sum((a.hours for a in rows.only("hours")), Decimal(0))


def can_approve(user: Any, org: Organisation, person: Person) -> bool:
    """The head of the person's organisation (its administrators), never for their own hours."""
    if not org_access.can_admin(user, org):
        return False
    me = org_access.person_of(user)
    return me is None or me.pk != person.pk


@transaction.atomic
def approve_term(
    org: Organisation,
    person: Person,
    academic_year: int,
    term: int,
    *,
    acting_user: Any,
    withdraw: bool = False,
) -> TermApproval | None:
    if not person.memberships.filter(organisation=org).exists():
        raise InvalidAction(_("This person is not a member of the organisation."))
    if not can_approve(acting_user, org, person):
        raise ActionRefused(
            _("Only the head of the person's organisation approves their hours, not they themselves.")
        )
    if term not in (1, 2) or not 2400 <= academic_year <= 2700:
        raise InvalidAction(_("Choose an academic term."))
    existing = TermApproval.objects.select_for_update().filter(
        organisation=org, person=person, academic_year=academic_year, term=term
    )
    if withdraw:
        existing.delete()
        record("community.hours_term_withdrawn", actor=acting_user, obj=person, organisation=org,
               data={"term": f"{term}/{academic_year}"})  # fmt: skip
        return None
    hours = term_hours(person, academic_year, term)
    row, _created = TermApproval.objects.update_or_create(
        organisation=org, person=person, academic_year=academic_year, term=term,
        defaults={"hours": hours, "approved_by": org_access.person_of(acting_user), "approved_at": timezone.now()},
    )  # fmt: skip
    record("community.hours_term", actor=acting_user, obj=person, organisation=org,
           data={"term": f"{term}/{academic_year}", "hours": str(hours)})  # fmt: skip
    from platu.notify.send import notify

    if person.user_id:
        from django.urls import reverse

        notify([person.user], kind="community.hours_approved", actor=acting_user, url=reverse("communities:my_hours"),
               text=_("Your PLC hours of academic term %(term)s were approved: %(hours)s hours.")
               % {"term": f"{term}/{academic_year}", "hours": f"{hours:.2f}".rstrip("0").rstrip(".")})  # fmt: skip
    return row


def approvals_for(person_ids: list[int], start: dt.date, end: dt.date) -> dict[int, list[TermApproval]]:
    """Term approvals of these people for the terms that overlap the dates."""
    years = {thaidate.academic_year(start), thaidate.academic_year(end)}
    out: dict[int, list[TermApproval]] = {}
    for row in TermApproval.objects.filter(person_id__in=person_ids, academic_year__in=years).select_related(
        "approved_by"
    ):
        out.setdefault(row.person_id, []).append(row)
    return out


def covered(approvals: list[TermApproval], day: dt.date, recorded_at: dt.datetime) -> bool:
    """Whether an attendance (on ``day``, recorded at ``recorded_at``) falls in an approved term:
    attendance recorded after the approval waits for the next one."""
    year, term = thaidate.academic_term(day)
    return any(a.academic_year == year and a.term == term and recorded_at <= a.approved_at for a in approvals)
