"""Government sign-in's changes, each with its audit row: an organisation's sign-in policy, a
first sign-in tied to an account (by a verified e-mail, or by an administrator confirming a
request), and the waiting requests themselves."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from allauth.socialaccount.models import SocialAccount
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.accounts import oidc, policy
from platu.accounts.models import LinkRequest, SignInPolicy, User
from platu.audit.log import record
from platu.lib.errors import InvalidAction
from platu.orgs import access
from platu.orgs.models import Membership, Organisation

_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@transaction.atomic
def set_policy(org: Organisation, *, methods: Iterable[str] | None, acting_user: Any) -> SignInPolicy | None:
    """Set which ways ``org``'s members may use; ``methods=None`` follows the parent office again."""
    access.require_admin(acting_user, org)
    before = SignInPolicy.objects.filter(organisation=org).first()
    if methods is None:
        if before is not None:
            before.delete()
            record("signin.policy", actor=acting_user, obj=org, organisation=org,
                   data={"before": before.method_list, "after": None})  # fmt: skip
        return None
    known = policy.all_methods()
    chosen = [m for m in known if m in set(methods)]
    if not chosen:
        raise InvalidAction(_("Allow at least one way of signing in."), field="methods")
    row, _created = SignInPolicy.objects.update_or_create(
        organisation=org, defaults={"methods": " ".join(chosen), "updated_by": acting_user}
    )
    record("signin.policy", actor=acting_user, obj=org, organisation=org,
           data={"before": before.method_list if before else None, "after": chosen})  # fmt: skip
    return row


def _first_org(user: User | None) -> Organisation | None:
    if user is None:
        return None
    m = Membership.objects.filter(person__user=user).select_related("organisation").first()
    return m.organisation if m else None


def record_link(user: User, *, provider: str, how: str, organisation: Organisation | None = None) -> None:
    record("signin.linked", actor=user, obj=user, organisation=organisation or _first_org(user),
           data={"provider": provider, "how": how})  # fmt: skip


@transaction.atomic
def request_link(
    *, provider: str, uid: str, extra_data: dict[str, Any], suggested_user: User | None
) -> LinkRequest:
    """A first sign-in that waits for an administrator (one waiting request per identity)."""
    claims = oidc.claims_of(extra_data)
    name = str(claims.get("name") or " ".join(
        str(claims.get(k) or "") for k in ("given_name", "family_name")
    )).strip()[:200]  # fmt: skip
    fields = {
        "email": str(claims.get("email") or "")[:254],
        "email_verified": oidc.is_true(claims.get("email_verified")),
        "name": name,
        "citizen_id_hmac": str(claims.get(oidc.HMAC_CLAIM) or ""),
        "extra_data": extra_data,
        # An unverified e-mail is whatever the person typed at the provider: it neither chooses
        # the account nor the organisation whose administrators see the request.
        "suggested_user": suggested_user if oidc.is_true(claims.get("email_verified")) else None,
        "organisation": _first_org(suggested_user) if oidc.is_true(claims.get("email_verified")) else None,
        "last_seen_at": timezone.now(),
    }
    row = LinkRequest.objects.filter(provider=provider, uid=uid, status=LinkRequest.PENDING).first()
    if row is None:
        row = LinkRequest.objects.create(
            provider=provider,
            uid=uid,
            reference="".join(secrets.choice(_REF_ALPHABET) for _i in range(10)),
            **fields,
        )
        record("signin.link_requested", obj=row, organisation=row.organisation,
               data={"provider": provider}, actor_repr=row.email or row.name)  # fmt: skip
    else:
        for key, value in fields.items():
            setattr(row, key, value)
        row.save()
    return row


def _accounts_of(org: Organisation) -> set[int]:
    return set(
        Membership.objects.filter(organisation=org, person__user__isnull=False).values_list(
            "person__user_id", flat=True
        )
    )


@transaction.atomic
def confirm_link(row: LinkRequest, *, org: Organisation, user: User, acting_user: Any) -> SocialAccount:
    """Tie the request's identity to ``user``, a member of ``org`` the acting user administers."""
    access.require_admin(acting_user, org)
    row = LinkRequest.objects.select_for_update().get(pk=row.pk)
    if row.status != LinkRequest.PENDING:
        raise InvalidAction(_("This request has already been decided."))
    if user.pk not in _accounts_of(org):
        raise InvalidAction(_("Choose a member of this organisation."), field="user")
    if not getattr(acting_user, "is_staff", False):
        # Tying someone's account to an identity lets whoever holds that identity sign in as
        # them: an administrator may do it only for members of organisations they administer,
        # and never for another administrator or the installation's staff (they tie their own
        # identity while signed in, or the staff do it).
        orgs = Organisation.objects.filter(memberships__person__user=user).distinct()
        if (
            user.is_staff
            or user.is_superuser
            or any(not access.can_admin(acting_user, other) for other in orgs)
            or (user.pk != acting_user.pk and any(access.can_admin(user, other) for other in orgs))
        ):
            raise InvalidAction(
                _(
                    "Only the installation's staff may tie a sign-in to this account (an administrator, "
                    "or a member of organisations you do not administer). The person may also tie it "
                    "themselves: sign in with the password, then with the digital ID."
                ),
                field="user",
            )
    if SocialAccount.objects.filter(provider=row.provider, uid=row.uid).exists():
        raise InvalidAction(_("This sign-in is already tied to an account."))
    if SocialAccount.objects.filter(provider=row.provider, user=user).exists():
        raise InvalidAction(
            _("This account is already tied to another sign-in of the same provider."), field="user"
        )
    account = SocialAccount.objects.create(
        user=user, provider=row.provider, uid=row.uid, extra_data=oidc.scrub_response(row.extra_data)
    )
    row.status = LinkRequest.CONFIRMED
    row.user = user
    row.decided_by = acting_user
    row.decided_at = timezone.now()
    row.save()
    record("signin.link_confirmed", actor=acting_user, obj=row, organisation=org,
           data={"provider": row.provider, "user": user.pk})  # fmt: skip
    # The account's owner hears of it (in Platu and by e-mail), so a wrong tie does not go unseen.
    from platu.notify.send import notify

    notify([user], kind="account.signin_linked", actor=acting_user, text=_(
        "%(admin)s tied a %(provider)s sign-in to your account. If this was not you, tell your "
        "organisation's administrator at once."
    ) % {"admin": str(acting_user), "provider": oidc.providers().get(row.provider, row.provider)})  # fmt: skip
    return account


@transaction.atomic
def reject_link(row: LinkRequest, *, org: Organisation, acting_user: Any) -> None:
    access.require_admin(acting_user, org)
    owner = row.organisation
    if owner is not None and owner.pk != org.pk and not access.can_admin(acting_user, owner):
        raise InvalidAction(_("This request belongs to another organisation."))
    row = LinkRequest.objects.select_for_update().get(pk=row.pk)
    if row.status != LinkRequest.PENDING:
        raise InvalidAction(_("This request has already been decided."))
    row.status = LinkRequest.REJECTED
    row.decided_by = acting_user
    row.decided_at = timezone.now()
    row.save()
    record("signin.link_rejected", actor=acting_user, obj=row, organisation=org,
           data={"provider": row.provider})  # fmt: skip
