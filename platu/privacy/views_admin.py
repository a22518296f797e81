"""The administrators' pages: erasure requests (installation staff and the person's organisation
administrators), and for installation staff the notice, retention, breaches and the ROPA. Anyone
else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _

from platu.exports.formats import CONTENT_TYPES
from platu.lib.errors import InvalidAction
from platu.privacy import access, actions
from platu.privacy import ropa as ropa_module
from platu.privacy.forms import BreachForm, DecisionForm, NoticeForm, SettingsForm
from platu.privacy.models import Breach, ErasureRequest, PrivacyNotice


@login_required
def requests(request: HttpRequest) -> HttpResponse:
    if not access.can_see_requests(request.user):
        raise Http404
    rows = list(access.requests_for(request.user)[:200])
    return render(request, "privacy/requests.html", {
        "pending": [r for r in rows if r.state == ErasureRequest.State.PENDING],
        "decided": [r for r in rows if r.state != ErasureRequest.State.PENDING][:50],
        "staff": access.is_installation_admin(request.user),
    })  # fmt: skip


@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    req = access.get_request_for_user(request.user, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = request.POST.get("decision") == "approve"
        try:
            actions.decide_erasure(
                req, acting_user=request.user, approve=approve, note=form.cleaned_data["note"]
            )
        except InvalidAction as exc:
            form.add_error("note" if exc.field == "note" else None, exc.message)
        else:
            messages.success(
                request, _("The person's data was erased.") if approve else _("The request was refused.")
            )
            return redirect("privacy:requests")
    person = getattr(req.user, "person", None)
    return render(request, "privacy/decide.html", {"req": req, "person": person, "form": form,
                                                   "can_decide": access.can_decide(request.user, req)})  # fmt: skip


@login_required
def notice_edit(request: HttpRequest) -> HttpResponse:
    access.require_installation_admin(request.user)
    current = PrivacyNotice.current()
    initial = {"title": current.title, "body": current.body} if current else {"title": _("Privacy notice")}
    form = NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            notice = actions.publish_notice(acting_user=request.user, title=form.cleaned_data["title"],
                                            body=form.cleaned_data["body"])  # fmt: skip
        except InvalidAction as exc:
            form.add_error("body", exc.message)
        else:
            messages.success(
                request,
                _("Version %(v)s was published; everyone is asked to read it.") % {"v": notice.version},
            )
            return redirect("privacy:notice_edit")
    versions = PrivacyNotice.objects.all()[:20]
    return render(
        request, "privacy/notice_edit.html", {"form": form, "current": current, "versions": versions}
    )


@login_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    access.require_installation_admin(request.user)
    from platu.privacy.models import PrivacySettings

    form = SettingsForm(request.POST or None, instance=PrivacySettings.get())
    if request.method == "POST" and form.is_valid():
        actions.save_settings(acting_user=request.user, values=form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("privacy:settings")
    return render(request, "privacy/settings.html", {"form": form})


@login_required
def breaches(request: HttpRequest) -> HttpResponse:
    access.require_installation_admin(request.user)
    return render(request, "privacy/breaches.html", {"breaches": Breach.objects.all()[:200]})


@login_required
def breach_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    access.require_installation_admin(request.user)
    breach = get_object_or_404(Breach, pk=pk) if pk is not None else None
    initial = BreachForm.initial_of(breach) if breach else {}
    form = BreachForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_breach(breach, acting_user=request.user, values=form.values())
        except InvalidAction as exc:
            form.add_error("discovered_on" if exc.field == "discovered_at" else None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("privacy:breach", saved.pk)
    pairs = [(form[d], form[t]) for d, t in (("discovered_on", "discovered_time"), ("pdpc_on", "pdpc_time"),
                                             ("people_on", "people_time"))]  # fmt: skip
    middle = [form[n] for n in ("description", "data_affected", "people_affected", "risk")]
    last = [form[n] for n in ("actions", "closed")]
    return render(request, "privacy/breach_form.html",
                  {"form": form, "breach": breach, "pairs": pairs, "middle": middle, "last": last})  # fmt: skip


@login_required
def ropa(request: HttpRequest) -> HttpResponse:
    access.require_installation_admin(request.user)
    fmt = request.GET.get("format", "")
    if fmt in ("pdf", "docx"):
        doc = ropa_module.document()
        response = HttpResponse(ropa_module.render(doc, fmt), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{escape_uri_path(doc.filename + '.' + fmt)}"
        )
        return response
    return render(request, "privacy/ropa.html", {"activities": ropa_module.activities()})
