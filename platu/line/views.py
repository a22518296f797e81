from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from platu.lib.errors import ActionRefused, InvalidAction
from platu.line import actions, crypto, login, webhook
from platu.line.forms import WAYS, ChannelForm, LoginChannelForm, PreferencesForm
from platu.line.kinds import choices
from platu.line.models import Channel, Digest, Link, Preference
from platu.orgs.access import can_admin, get_organisation_for_user
from platu.orgs.models import Organisation


def apply_action(form: Form, run: Callable[[], Any]) -> tuple[Any, bool]:
    """Run an action for a valid form; its refusal goes on the form (as platu/orgs/views/common.py)."""
    try:
        return run(), False
    except InvalidAction as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return None, False


def _admin_org(request: HttpRequest, code: str) -> Organisation:
    org = get_organisation_for_user(request, code)
    if not can_admin(request.user, org):
        raise Http404
    return org


@login_required
def channel(request: HttpRequest, code: str) -> HttpResponse:
    org = _admin_org(request, code)
    current = Channel.objects.filter(organisation=org).select_related("updated_by").first()
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved, _conflict = apply_action(
            form,
            lambda: actions.save_channel(
                org,
                acting_user=request.user,
                secret=form.cleaned_data["secret"],
                token=form.cleaned_data["token"],
            ),
        )
        if saved is not None:
            messages.success(request, _("The LINE channel is saved."))
            return redirect("line:channel", org.code)
    webhook_url = (
        settings.PLATU_BASE_URL.rstrip("/") + reverse("line:webhook", args=[current.webhook_key])
        if current
        else ""
    )
    return render(request, "line/channel.html", {
        "org": org, "channel": current, "form": form, "webhook_url": webhook_url,
        "links": current.links.count() if current else 0,
        "login_form": _login_form(current), "callback_url": login.redirect_uri(),
    })  # fmt: skip


def _login_form(current: Channel | None, data: Any = None) -> LoginChannelForm:
    initial = (
        {"channel_id": current.login_channel_id, "bot_prompt": current.login_bot_prompt} if current else {}
    )
    return LoginChannelForm(data, initial=initial, prefix="login")


@login_required
def channel_login(request: HttpRequest, code: str) -> HttpResponse:
    """The LINE Login channel (its id and secret), for linking with one sign-in to LINE."""
    org = _admin_org(request, code)
    if request.method != "POST":  # a reload of the address a form error left: the channel page
        return redirect("line:channel", org.code)
    current = Channel.objects.filter(organisation=org).first()
    form = _login_form(current, request.POST)
    if form.is_valid():
        saved, _conflict = apply_action(form, lambda: actions.save_login(
            org, acting_user=request.user, channel_id=form.cleaned_data["channel_id"],
            secret=form.cleaned_data["secret"], bot_prompt=form.cleaned_data["bot_prompt"],
        ))  # fmt: skip
        if saved is not None:
            messages.success(request, _("The LINE Login channel is saved."))
            return redirect("line:channel", org.code)
    return render(request, "line/channel.html", {
        "org": org, "channel": current, "form": ChannelForm(), "login_form": form,
        "callback_url": login.redirect_uri(), "links": current.links.count() if current else 0,
        "webhook_url": settings.PLATU_BASE_URL.rstrip("/") + reverse("line:webhook", args=[current.webhook_key])
        if current else "",
    }, status=400)  # fmt: skip


@login_required
@require_POST
def channel_remove(request: HttpRequest, code: str) -> HttpResponse:
    org = _admin_org(request, code)
    try:
        actions.remove_channel(org, acting_user=request.user)
        messages.success(request, _("The LINE channel is removed."))
    except InvalidAction as exc:
        messages.error(request, exc.message)
    return redirect("line:channel", org.code)


@csrf_exempt
@require_POST
def webhook_view(request: HttpRequest, key: str) -> HttpResponse:
    row = Channel.objects.filter(webhook_key=key).select_related("organisation").first()
    if row is None:
        raise Http404
    try:
        secret = crypto.decrypt(row.secret_encrypted)
    except ValueError:
        return HttpResponse(status=503)
    if not webhook.signature_ok(secret, request.body, request.headers.get("X-Line-Signature", "")):
        return HttpResponseBadRequest("bad signature")
    events = webhook.parse(request.body)
    if events is None:
        return HttpResponseBadRequest("bad body")
    webhook.handle(row, events)
    return HttpResponse("ok")


@login_required
@csp_update({"form-action": "https://access.line.me"})  # type: ignore[arg-type]
def link(request: HttpRequest, key: str) -> HttpResponse:
    """The address sent in LINE: the signed-in person confirms (a POST: a link that a stranger sent
    cannot tie the stranger's LINE to this account unasked), then LINE's account-link dialog."""
    row = Channel.objects.filter(webhook_key=key).select_related("organisation").first()
    link_token = request.GET.get("linkToken", "")
    if row is None or not link_token or len(link_token) > 200:
        raise Http404
    if request.method == "POST":
        nonce = actions.start_link(row, acting_user=request.user)
        return redirect(
            login.access_url()
            + "/dialog/bot/accountLink?"
            + urlencode({"linkToken": link_token, "nonce": nonce})
        )
    return render(request, "line/link.html", {"channel": row})


@login_required
@require_POST
def login_start(request: HttpRequest, code: str) -> HttpResponse:
    """ "Link with LINE Login": to LINE's sign-in, which comes back to login_callback."""
    org = get_organisation_for_user(request, code)
    row = Channel.objects.filter(organisation=org).first()
    if row is None or not row.has_login:
        raise Http404
    return redirect(login.authorize_url(request, row))


@login_required
def login_callback(request: HttpRequest) -> HttpResponse:
    """LINE Login's answer: a code and our state, or an error (the person cancelled)."""
    started = login.check_state(request, request.GET.get("state", "")[:1000])
    if started is None:
        messages.error(request, _("This LINE sign-in was not started from your Platu session, or it is too old. "
                                  "Nothing was linked; start again from this page."))  # fmt: skip
        return redirect("line:preferences")
    code = request.GET.get("code", "")
    if request.GET.get("error") or not code:
        messages.error(request, _("You did not allow Platu to link your LINE account. Nothing was linked."))
        return redirect("line:preferences")
    try:
        actions.link_by_login(started.channel, acting_user=request.user, code=code,
                              redirect_uri=login.redirect_uri(), nonce=started.nonce)  # fmt: skip
    except (InvalidAction, ActionRefused) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Your LINE account is linked. Platu notifications can now come to you in LINE.")
        )
    return redirect("line:preferences")


@login_required
@csp_update({"form-action": "https://access.line.me"})  # type: ignore[arg-type]
def preferences(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    saved = {p.kind: p for p in Preference.objects.filter(user=user)}
    initial: dict[str, Any] = {"daily": Digest.objects.filter(user=user, daily=True).exists()}
    for kind, _label in choices():
        pref = saved.get(kind)
        for way in WAYS:
            initial[f"{kind}-{way}"] = getattr(pref, way) if pref else way != "line"
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        result, _conflict = apply_action(
            form,
            lambda: actions.save_preferences(user, ways=form.ways(), daily=form.cleaned_data["daily"]),
        )
        if result:
            messages.success(request, _("Your notification choices are saved."))
            return redirect("line:preferences")
    link_row = Link.objects.filter(user=user).select_related("channel__organisation").first()
    person = getattr(user, "person", None)
    orgs = list(Organisation.objects.filter(memberships__person=person).distinct()) if person else []
    channels = Channel.objects.filter(organisation__in=orgs).select_related("organisation")
    return render(request, "line/preferences.html", {
        "form": form, "link": link_row, "channels": channels,
        "admin_orgs": [o for o in orgs if can_admin(user, o)],
    })  # fmt: skip


@login_required
@require_POST
def unlink(request: HttpRequest) -> HttpResponse:
    if actions.unlink(request.user, acting_user=request.user):
        messages.success(request, _("Your LINE account is no longer linked."))
    return redirect("line:preferences")
