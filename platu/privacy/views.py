"""The person's pages: the privacy notice, "my data" (download, correct, ask for erasure)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platu.lib.errors import InvalidAction
from platu.privacy import access, actions, export
from platu.privacy.forms import ErasureForm
from platu.privacy.middleware import remember, safe_next
from platu.privacy.models import DataExport, ErasureRequest, PrivacyNotice

SALT = "platu.privacy.export"


def _me(request: HttpRequest) -> Any:
    return request.user


def download_url(row: DataExport) -> str:
    token = signing.dumps({"e": row.pk, "u": row.user_id}, salt=SALT)
    return reverse("privacy:download", args=[token])


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def notice(request: HttpRequest) -> HttpResponse:
    """The current notice: anyone may read it (before signing in too, as PDPA section 23 asks);
    a signed-in person acknowledges it here."""
    current = PrivacyNotice.current()
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if current is None:
        return render(request, "privacy/notice.html", {"notice": None, "next": next_url})
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(request, "privacy/notice.html", {
            "notice": current, "paragraphs": paragraphs(current.body), "next": next_url, "reader": True,
        })  # fmt: skip
    if request.method == "POST":
        actions.acknowledge(current, acting_user=request.user)
        remember(request, current.version)
        return redirect(next_url)
    return render(request, "privacy/notice.html", {
        "notice": current, "paragraphs": paragraphs(current.body), "next": next_url,
        "acknowledged": actions.has_acknowledged(request.user, current),
    })  # fmt: skip


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    exports = list(DataExport.objects.filter(user=_me(request))[:5])
    for row in exports:
        row.url = download_url(row) if row.is_downloadable else ""  # type: ignore[attr-defined]
    person = getattr(request.user, "person", None)
    pending = ErasureRequest.objects.filter(user=_me(request), state=ErasureRequest.State.PENDING).first()
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_erasure(acting_user=request.user, reason=form.cleaned_data["reason"])
        except InvalidAction as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your request was sent to the administrators."))
            return redirect("privacy:my_data")
    return render(request, "privacy/my_data.html", {
        "exports": exports, "person": person, "pending": pending, "form": form,
        "notice": PrivacyNotice.current(), "is_admin": access.can_see_requests(request.user),
        "last_refused": ErasureRequest.objects.filter(user=_me(request), state=ErasureRequest.State.REFUSED).first(),
    })  # fmt: skip


@login_required
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    try:
        actions.request_export(acting_user=request.user)
    except InvalidAction as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your download is being prepared; this page shows it when it is ready."))
    return redirect("privacy:my_data")


@login_required
def download(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    row = DataExport.objects.filter(pk=value.get("e"), user_id=value.get("u")).first()
    if row is None or row.user_id != request.user.pk or not row.is_downloadable or not row.path:
        raise Http404
    path = export.private_dir() / row.path
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"platu-my-data-{row.pk}.zip")


@login_required
@require_POST
def erasure_cancel(request: HttpRequest) -> HttpResponse:
    req = ErasureRequest.objects.filter(user=_me(request), state=ErasureRequest.State.PENDING).first()
    if req is None:
        raise Http404
    actions.cancel_erasure(req, acting_user=request.user)
    messages.success(request, _("Your request was cancelled."))
    return redirect("privacy:my_data")
