"""Background work of the organisations module: invitation e-mails, sent by the worker (a slow
or failing mail server never holds up the administrator's request)."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from platu.accounts.models import User
from platu.orgs.models import Organisation


@task()
def send_invitation(user_pk: int, org_pk: int, inviter: str) -> bool:
    from platu.orgs.actions import invitation_link

    user = User.objects.filter(pk=user_pk, is_active=True).first()
    org = Organisation.objects.filter(pk=org_pk).first()
    if user is None or org is None or not user.email:
        return False
    context = {"user": user, "org": org, "inviter": inviter, "link": invitation_link(user)}
    with override("th"):
        subject = _("Invitation to %(org)s on Platu") % {"org": org.name_th}
        body = render_to_string("orgs/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])
    return True
