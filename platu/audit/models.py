"""The append-only audit log: who did what, to which object, where and when."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Readable names of the actions; later modules add theirs here.
ACTION_LABELS = {
    "auth.login": _("Logged in"),
    "auth.logout": _("Logged out"),
    "auth.login_failed": _("Failed log-in"),
    "org.create": _("Created the organisation"),
    "org.update": _("Changed the organisation's settings"),
    "person.update": _("Changed a person's details"),
    "membership.add": _("Added a member"),
    "membership.invite": _("Invited a new member"),
    "membership.roles": _("Changed a member's roles"),
    "membership.remove": _("Removed a member"),
    "team.create": _("Created a team"),
    "team.update": _("Changed a team"),
    "team.delete": _("Deleted a team"),
    "team.member_add": _("Added a team member"),
    "team.member_role": _("Changed a team member's role"),
    "team.member_remove": _("Removed a team member"),
    "knowledge.create": _("Wrote a knowledge item"),
    "knowledge.update": _("Edited a knowledge item"),
    "knowledge.restore": _("Restored an earlier revision"),
    "knowledge.reopen": _("Reopened a published item for editing"),
    "knowledge.submit": _("Submitted knowledge for review"),
    "knowledge.withdraw": _("Withdrew knowledge from review"),
    "knowledge.start_review": _("Started reviewing knowledge"),
    "knowledge.vote": _("Voted on knowledge"),
    "knowledge.approve": _("Knowledge approved by the committee"),
    "knowledge.needs_changes": _("Knowledge returned for changes"),
    "knowledge.publish": _("Published knowledge"),
    "knowledge.stale": _("Knowledge due for review"),
    "knowledge.rereview": _("Re-reviewed knowledge"),
    "knowledge.archive": _("Archived knowledge"),
    "knowledge.unarchive": _("Took knowledge out of the archive"),
    "knowledge.import": _("Imported knowledge"),
    "search.terms": _("Added search dictionary terms"),
    "search.reindex": _("Rebuilt the search index"),
    "search.term_removed": _("Removed a search dictionary term"),
    "knowledge.attach": _("Attached a file"),
    "knowledge.detach": _("Removed a file"),
    "knowledge.video": _("Linked a video"),
    "knowledge.links": _("Linked knowledge to a community"),
    "knowledge.applied": _("Reported applying knowledge"),
    "knowledge.categories": _("Changed the knowledge categories"),
    "plan.start": _("Started a KM plan"),
    "plan.edit": _("Edited a KM plan"),
    "plan.score": _("Scored a worksheet"),
    "plan.submit": _("Submitted a KM plan to the CKO"),
    "plan.review": _("Reviewed a KM plan (CKO)"),
    "plan.return": _("Returned a KM plan for changes"),
    "plan.approve": _("Approved a KM plan (CEO)"),
    "plan.amend": _("Started an amendment of a KM plan"),
    "community.create": _("Started a community"),
    "community.edit": _("Edited a community"),
    "community.join": _("Joined a community"),
    "community.request": _("Asked to join a community"),
    "community.leave": _("Left a community"),
    "community.member": _("Changed a community's member"),
    "community.member_removed": _("Removed a community's member"),
    "community.guest": _("Added a guest expert"),
    "community.schedule": _("Scheduled community sessions"),
    "community.session_edit": _("Changed a session"),
    "community.session_cancel": _("Cancelled a session"),
    "community.attendance": _("Recorded attendance"),
    "community.checkin": _("Checked in to a session"),
    "community.record": _("Wrote a session record"),
    "community.record_sign": _("Signed off a session record"),
    "community.record_reopen": _("Reopened a session record"),
    "community.to_knowledge": _("Made knowledge from a session"),
    "community.post": _("Posted in a community space"),
    "community.post_edit": _("Edited a post in a community space"),
    "community.post_remove": _("Removed a post from a community space"),
    "community.session_activities": _("Linked a session to KM plan activities"),
    "community.rsvp": _("Answered a session invitation"),
    "community.event_create": _("Created an event"),
    "community.event_edit": _("Edited an event"),
    "community.event_publish": _("Published an event"),
    "community.event_close": _("Closed an event's registration"),
    "community.event_cancel": _("Cancelled an event"),
    "community.event_register": _("Registered for an event"),
    "community.event_unregister": _("Cancelled an event registration"),
    "community.event_promoted": _("Moved someone up from an event's waiting list"),
    "community.event_attendance": _("Recorded who attended an event"),
    "community.event_slot_add": _("Added a session or booth to an event"),
    "community.event_slot_remove": _("Removed a session or booth from an event"),
    "community.event_work_add": _("Added a presented work to an event"),
    "community.event_work_remove": _("Removed a presented work from an event"),
    "community.record_file": _("Added a photo or file to a session record"),
    "community.record_file_removed": _("Removed a photo or file from a session record"),
    "community.hours_minimum": _("Set the minimum PLC hours"),
    "community.hours_term": _("Approved PLC hours for an academic term"),
    "community.hours_term_withdrawn": _("Withdrew an approval of PLC hours"),
    "tracking.open": _("Opened a monitoring round"),
    "tracking.owners": _("Named who reports on an activity"),
    "tracking.entry": _("Entered an activity's progress"),
    "tracking.correct": _("Corrected an activity's progress after the round closed"),
    "tracking.check": _("Checked an activity's progress"),
    "tracking.bind": _("Bound an indicator to what Platu counts"),
    "tracking.close": _("Closed a monitoring round (CKO)"),
    "tracking.acknowledge": _("Acknowledged a monitoring round (CEO)"),
    "tracking.evidence": _("Added evidence of progress"),
    "tracking.evidence_removed": _("Removed evidence of progress"),
    "tracking.indicator": _("Changed the organisation's KM indicators"),
    "tracking.evidence_pack": _("Downloaded the evidence pack of a KM plan"),
    # surveys (platu/surveys)
    "survey.create": _("Made a survey"),
    "survey.edit": _("Changed a survey's settings"),
    "survey.questions": _("Changed a survey's questions"),
    "survey.delete": _("Deleted a draft survey"),
    "survey.open": _("Opened a survey"),
    "survey.close": _("Closed a survey"),
    "survey.reopen": _("Reopened a survey"),
    "survey.answer": _("Answered a survey"),
    "survey.export": _("Downloaded a survey's responses"),
    "survey.settings": _("Changed the smallest group shown in survey results"),
    # awards (platu/awards)
    "awards.create": _("Created an award programme"),
    "awards.update": _("Changed an award programme"),
    "awards.committee": _("Named an award committee"),
    "awards.open": _("Opened an award programme for nominations"),
    "awards.close": _("Closed the nominations of an award programme"),
    "awards.nominate": _("Nominated for an award"),
    "awards.evidence": _("Added evidence to a nomination"),
    "awards.withdraw": _("Withdrew a nomination"),
    "awards.review": _("Reviewed a nomination as the committee's chair"),
    "awards.score": _("Scored award nominations"),
    "awards.announce": _("Announced the results of an award programme"),
    "awards.revoke": _("Revoked a certificate"),
    "awards.forward": _("Forwarded a winner to the next level"),
    "awards.certificate": _("Downloaded a certificate"),
    # competency (platu/competency)
    "competency.framework_start": _("Started the organisation's competency framework"),
    "competency.framework_version": _("Made a new version of a competency framework"),
    "competency.framework_edit": _("Changed a competency framework"),
    "competency.framework_publish": _("Published a competency framework"),
    "competency.cycle_open": _("Opened a competency assessment cycle"),
    "competency.cycle_edit": _("Changed a competency assessment cycle"),
    "competency.cycle_close": _("Closed a competency assessment cycle"),
    "competency.supervisor": _("Named a person's supervisor for the competency assessment"),
    "competency.assess_self": _("Saved a competency self-assessment"),
    "competency.assess_supervisor": _("Saved a supervisor's competency assessment"),
    "competency.need": _("Answered the development-needs survey"),
    "competency.plan_start": _("Started a 3-year people-development plan"),
    "competency.item": _("Saved an item of the people-development plan"),
    "competency.item_delete": _("Removed an item of the people-development plan"),
    "competency.review": _("Reviewed the people-development plan for a year"),
    "competency.push": _("Put a development item into the KM action plan (Form 2)"),
    "line.channel_saved": _("Saved the LINE Official Account channel"),
    "line.channel_removed": _("Removed the LINE Official Account channel"),
    "line.linked": _("Linked a LINE account"),
    "line.unlinked": _("Unlinked a LINE account"),
    "line.preferences": _("Changed notification choices"),
    "api.token": _("Made an API token"),
    "api.token_revoked": _("Revoked an API token"),
    "signin.policy": _("Changed the ways members may sign in"),
    "signin.linked": _("Tied a government digital ID to an account by its verified e-mail"),
    "signin.link_requested": _("A first government sign-in waits for an administrator"),
    "signin.link_confirmed": _("Tied a government digital ID to a member's account"),
    "signin.link_rejected": _("Refused a first government sign-in"),
    # privacy (platu/privacy)
    "privacy.notice": _("Published a privacy notice"),
    "privacy.acknowledge": _("Acknowledged the privacy notice"),
    "privacy.export": _("Asked for a copy of their personal data"),
    "privacy.erasure_request": _("Asked for their personal data to be erased"),
    "privacy.erasure_cancel": _("Cancelled a request for erasure"),
    "privacy.erasure_done": _("Erased a person's personal data"),
    "privacy.erasure_refused": _("Refused a request for erasure"),
    "privacy.settings": _("Changed the personal data settings"),
    "privacy.breach_new": _("Recorded a personal data breach"),
    "privacy.breach": _("Updated a personal data breach"),
    "line.login_saved": _("Saved the LINE Login channel"),
    "calendar.token": _("Made a calendar feed address"),
    "calendar.token_revoked": _("Revoked a calendar feed address"),
}


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the audit log is append-only")

    def for_organisation(self, organisation: Any) -> AuditQuerySet:
        return self.filter(organisation=organisation)


class AuditEntry(models.Model):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text so the row stays readable when the account is gone.
    actor_repr = models.CharField(_("who"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the audit log is append-only")

    @property
    def action_label(self) -> str:
        label = ACTION_LABELS.get(self.action)
        if label is None:  # an action recorded before its module named it: never the bare code
            return _("Other action (%(code)s)") % {"code": self.action}
        return str(label)
