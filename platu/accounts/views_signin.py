"""Government sign-in's pages: the waiting page after a first sign-in, and for an organisation's
administrators its sign-in policy and the sign-ins waiting for them to choose the account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from platu.accounts import actions, oidc, policy
from platu.accounts.forms_signin import INHERIT, OWN, ConfirmForm, PolicyForm, ReferenceForm
from platu.accounts.models import LinkRequest, SignInPolicy, User
from platu.accounts.socialadapter import PENDING_SESSION_KEY
from platu.lib.errors import InvalidAction
from platu.orgs.access import can_admin, get_organisation_for_user
from platu.orgs.models import Organisation


def _admin_org(request: HttpRequest, code: str) -> Organisation:
    org = get_organisation_for_user(request, code)
    if not can_admin(request.user, org):
        raise Http404
    return org


def pending(request: HttpRequest) -> HttpResponse:
    """Where a first sign-in that no verified e-mail could tie to an account lands."""
    reference = request.session.get(PENDING_SESSION_KEY, "")
    row = LinkRequest.objects.filter(reference=reference).first() if reference else None
    return render(request, "accounts/signin_pending.html", {"row": row})


@login_required
def signin_policy(request: HttpRequest, code: str) -> HttpResponse:
    org = _admin_org(request, code)
    own = SignInPolicy.objects.filter(organisation=org).first()
    inherited, source = policy.effective(org.parent) if org.parent else (None, None)
    initial = {
        "mode": OWN if own else INHERIT,
        "methods": own.method_list if own else list(policy.all_methods()),
    }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.set_policy(
                org, methods=data["methods"] if data["mode"] == OWN else None, acting_user=request.user
            )
        except InvalidAction as exc:
            form.add_error("methods", exc.message)
        else:
            messages.success(request, _("The sign-in rule is saved."))
            return redirect("signin_policy", org.code)
    labels = policy.all_methods()
    return render(request, "accounts/signin_policy.html", {
        "org": org, "form": form, "own": own, "source": source,
        "inherited": [labels[m] for m in labels if inherited is None or m in inherited],
        "providers": oidc.providers(),
        "waiting": LinkRequest.objects.filter(organisation=org, status=LinkRequest.PENDING).count(),
    })  # fmt: skip


@login_required
def link_requests(request: HttpRequest, code: str) -> HttpResponse:
    org = _admin_org(request, code)
    form = ReferenceForm(request.GET or None)
    if request.GET and form.is_valid():
        row = LinkRequest.objects.filter(reference=form.cleaned_data["reference"]).first()
        if row is not None:
            return redirect("signin_link_request", org.code, row.reference)
        form.add_error("reference", _("No sign-in waits with this reference code."))
    rows = LinkRequest.objects.filter(organisation=org, status=LinkRequest.PENDING).select_related(
        "suggested_user"
    )
    return render(request, "accounts/signin_requests.html", {
        "org": org, "form": form, "rows": rows, "providers": oidc.providers(),
    })  # fmt: skip


@login_required
def link_request(request: HttpRequest, code: str, reference: str) -> HttpResponse:
    """One waiting sign-in: its reference code is what an administrator of any organisation needs
    (the person tells it them); they tie it to one of their own members' accounts."""
    org = _admin_org(request, code)
    row = LinkRequest.objects.filter(reference=reference).select_related("user", "decided_by").first()
    if row is None:
        raise Http404
    accounts = User.objects.filter(
        is_active=True, person__memberships__organisation=org
    ).distinct().order_by("person__first_name", "person__last_name")  # fmt: skip
    initial = {"user": row.suggested_user_id} if row.suggested_user_id else {}
    form = ConfirmForm(request.POST or None, accounts=accounts, initial=initial)
    if request.method == "POST":
        try:
            if "reject" in request.POST:
                actions.reject_link(row, org=org, acting_user=request.user)
                messages.success(request, _("The request is refused."))
                return redirect("signin_link_requests", org.code)
            if form.is_valid():
                actions.confirm_link(row, org=org, user=form.cleaned_data["user"], acting_user=request.user)
                messages.success(
                    request, _("The sign-in is tied to the account. The person can now sign in.")
                )
                return redirect("signin_link_requests", org.code)
        except InvalidAction as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(request, "accounts/signin_request.html", {
        "org": org, "row": row, "form": form, "providers": oidc.providers(),
    })  # fmt: skip
