"""Every PDPA change goes through here: it checks who may, changes, and writes an audit row (never
the erased person's name)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.audit.log import record
from platu.lib.errors import ActionRefused, InvalidAction
from platu.notify.send import notify
from platu.privacy import access
from platu.privacy.models import (
    Breach,
    DataExport,
    ErasureRequest,
    NoticeAcceptance,
    PrivacyNotice,
    PrivacySettings,
)


def _staff(user: Any) -> None:
    if not access.is_installation_admin(user):
        raise ActionRefused(_("Only the installation's administrators may do this."))


def publish_notice(*, acting_user: Any, title: str, body: str) -> PrivacyNotice:
    """A new version of the privacy notice; everyone acknowledges it at their next page."""
    _staff(acting_user)
    title, body = title.strip(), body.strip()
    if not body:
        raise InvalidAction(_("Write the text of the notice."), field="body")
    with transaction.atomic():
        last = PrivacyNotice.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0
        notice = PrivacyNotice.objects.create(
            version=last + 1, title=title or _("Privacy notice"), body=body, published_by=acting_user
        )
        record("privacy.notice", actor=acting_user, obj=notice, data={"version": notice.version})
        NoticeAcceptance.objects.create(user=acting_user, notice=notice)  # who wrote it has read it
    return notice


def acknowledge(notice: PrivacyNotice, *, acting_user: Any) -> None:
    with transaction.atomic():
        _row, created = NoticeAcceptance.objects.get_or_create(user=acting_user, notice=notice)
        if created:
            record("privacy.acknowledge", actor=acting_user, obj=notice, data={"version": notice.version})


def has_acknowledged(user: Any, notice: PrivacyNotice) -> bool:
    return NoticeAcceptance.objects.filter(user=user, notice=notice).exists()


def request_export(*, acting_user: Any) -> DataExport:
    from platu.privacy.tasks import build_export

    if DataExport.objects.filter(user=acting_user, state=DataExport.State.PENDING).exists():
        raise InvalidAction(_("Your download is already being prepared."))
    with transaction.atomic():
        export = DataExport.objects.create(user=acting_user)
        record("privacy.export", actor=acting_user, obj=export)
        transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export


def request_erasure(*, acting_user: Any, reason: str) -> ErasureRequest:
    if access.is_installation_admin(acting_user):
        raise InvalidAction(
            _(
                "An administrator's account cannot be erased; ask another administrator to take the role away first."
            )
        )
    if ErasureRequest.objects.filter(user=acting_user, state=ErasureRequest.State.PENDING).exists():
        raise InvalidAction(_("You have already asked; an administrator will decide."))
    with transaction.atomic():
        req = ErasureRequest.objects.create(user=acting_user, reason=reason.strip()[:2000])
        record("privacy.erasure_request", actor=acting_user, obj=req)
        notify(access.deciders(acting_user), kind="privacy.erasure", actor=acting_user,
               text=_("A person asked for their personal data to be erased."),
               url=reverse("privacy:decide", args=[req.pk]))  # fmt: skip
    return req


def cancel_erasure(req: ErasureRequest, *, acting_user: Any) -> None:
    if req.user_id != acting_user.pk or req.state != ErasureRequest.State.PENDING:
        raise ActionRefused(_("This request cannot be cancelled."))
    with transaction.atomic():
        req.state = ErasureRequest.State.CANCELLED
        req.decided_at = timezone.now()
        req.save(update_fields=["state", "decided_at"])
        record("privacy.erasure_cancel", actor=acting_user, obj=req)


def decide_erasure(req: ErasureRequest, *, acting_user: Any, approve: bool, note: str) -> ErasureRequest:
    """Approve (erase now, in one transaction) or refuse, with the reason."""
    from platu.privacy.erase import erase

    if not access.can_decide(acting_user, req):
        raise ActionRefused(_("You may not decide this request."))
    note = note.strip()[:2000]
    if not approve and not note:
        raise InvalidAction(_("Say why the request is refused."), field="note")
    with transaction.atomic():
        req = ErasureRequest.objects.select_for_update().get(pk=req.pk)
        if req.state != ErasureRequest.State.PENDING:
            raise InvalidAction(_("This request has already been decided."))
        if approve:
            req.pseudonym = erase(req.user)
            req.reason = ""
            req.state = ErasureRequest.State.DONE
        else:
            req.state = ErasureRequest.State.REFUSED
            notify([req.user], kind="privacy.erasure", actor=acting_user, url=reverse("privacy:my_data"),
                   text=_("Your request for erasure was refused: %(why)s") % {"why": note})  # fmt: skip
        req.decided_at, req.decided_by, req.decision_note = timezone.now(), acting_user, note
        req.save()
        record(
            "privacy.erasure_done" if approve else "privacy.erasure_refused",
            actor=acting_user,
            obj=req,
            data={"pseudonym": req.pseudonym} if approve else {},
        )
    return req


def save_settings(*, acting_user: Any, values: dict[str, Any]) -> PrivacySettings:
    _staff(acting_user)
    with transaction.atomic():
        row = PrivacySettings.get()
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
        record("privacy.settings", actor=acting_user, obj=None,
               data={k: v for k, v in values.items() if k.endswith("_days")})  # fmt: skip
    return row


def save_breach(breach: Breach | None, *, acting_user: Any, values: dict[str, Any]) -> Breach:
    _staff(acting_user)
    if values.get("discovered_at") and values["discovered_at"] > timezone.now() + dt.timedelta(minutes=5):
        raise InvalidAction(_("The discovery time cannot be in the future."), field="discovered_at")
    with transaction.atomic():
        created = breach is None
        breach = breach or Breach(created_by=acting_user)
        for name, value in values.items():
            setattr(breach, name, value)
        breach.save()
        record("privacy.breach_new" if created else "privacy.breach", actor=acting_user, obj=breach,
               data={"risk": breach.risk, "pdpc": bool(breach.pdpc_notified_at)})  # fmt: skip
    return breach
