"""Who hears of a plan's steps: the next person in the approval chain, in-app and by e-mail
(through `platu.notify`, as knowledge items do)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from platu.accounts.models import User
from platu.lib import thaidate
from platu.notify.send import notify
from platu.orgs.models import Role
from platu.planning.access import KM_TEAM_ROLES
from platu.planning.models import Plan


def users_with(plan: Plan, roles: Iterable[str]) -> list[Any]:
    """The active accounts holding any of the roles in the plan's organisation."""
    return list(
        User.objects.filter(
            is_active=True,
            person__memberships__organisation=plan.organisation,
            person__memberships__role_rows__role__in=list(roles),
        )
        .distinct()
        .order_by("pk")
    )


def _say(plan: Plan, recipients: list[Any], kind: str, text: str, actor: Any) -> None:
    notify(recipients, kind=kind, text=text, url=plan.get_absolute_url(), actor=actor)


def _name(plan: Plan) -> dict[str, Any]:
    org = plan.organisation
    year = thaidate.thai_digits(plan.fiscal_year) if org.thai_digits else str(plan.fiscal_year)
    return {"org": org.name, "year": year}


def submitted(plan: Plan, actor: Any) -> None:
    _say(plan, users_with(plan, [Role.CKO]), "plan.submitted",
         _("The KM plan %(year)s of %(org)s waits for your review.") % _name(plan), actor)  # fmt: skip


def reviewed(plan: Plan, actor: Any) -> None:
    _say(plan, users_with(plan, [Role.CEO]), "plan.reviewed",
         _("The KM plan %(year)s of %(org)s has been reviewed by the CKO and waits for your approval.")
         % _name(plan), actor)  # fmt: skip


def returned(plan: Plan, actor: Any, comment: str) -> None:
    team = users_with(plan, KM_TEAM_ROLES)
    submitter = [plan.submitted_by.user] if plan.submitted_by and plan.submitted_by.user else []
    _say(plan, submitter + team, "plan.returned",
         _("The KM plan %(year)s of %(org)s was returned with comments: %(comment)s")
         % {**_name(plan), "comment": comment}, actor)  # fmt: skip


def approved(plan: Plan, actor: Any) -> None:
    _say(plan, users_with(plan, [*KM_TEAM_ROLES, Role.CKO]), "plan.approved",
         _("The KM plan %(year)s of %(org)s has been approved.") % _name(plan), actor)  # fmt: skip
