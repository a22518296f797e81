"""The kinds of notification a person chooses the ways for: the first part of a notification's
kind ("knowledge.comment" is of "knowledge")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

KINDS = {
    "knowledge": _("Knowledge items: reviews, comments, mentions"),
    "plan": _("KM plans"),
    "tracking": _("Progress reports"),
    "community": _("Communities of practice and their sessions"),
    "survey": _("Surveys"),
    "awards": _("Awards"),
    "competency": _("Competency assessments"),
}
OTHER = "other"


def kind_of(notification_kind: str) -> str:
    head = notification_kind.split(".", 1)[0]
    return head if head in KINDS else OTHER


def choices() -> list[tuple[str, str]]:
    return [*((k, str(v)) for k, v in KINDS.items()), (OTHER, str(_("Everything else")))]
