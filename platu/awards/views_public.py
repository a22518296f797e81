"""Certificates: the PDF (for who may see the programme) and the public verification page and
Open Badges credential (no login: the random code in the address is the key)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache

from platu.audit.log import record
from platu.awards import access, certificates
from platu.awards.models import Certificate
from platu.lib.ids import MAX_ID


@login_required
def certificate_pdf(request: HttpRequest, pk: int, cpk: int) -> HttpResponse:
    programme = access.get_programme_for_user(request, pk)
    if not 0 < cpk <= MAX_ID:
        raise Http404
    cert = (
        Certificate.objects.filter(award__programme=programme, pk=cpk)
        .select_related("award__programme__organisation", "award__category", "award__nomination")
        .first()
    )
    if cert is None:
        raise Http404
    data = certificates.render(cert, request)
    record("awards.certificate", actor=request.user, obj=cert, organisation=programme.organisation,
           data={"recipient": cert.recipient_name})  # fmt: skip
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificates.filename(cert)}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _by_code(code: str) -> Certificate:
    if not code.isascii() or not code.isalnum() or len(code) > 40:
        raise Http404
    cert = (
        Certificate.objects.filter(code=code)
        .select_related("award__programme__organisation", "award__category")
        .first()
    )
    if cert is None:
        raise Http404
    return cert


@never_cache
def verify(request: HttpRequest, code: str) -> HttpResponse:
    cert = _by_code(code)
    return render(request, "awards/verify.html", {
        "certificate": cert, "award": cert.award, "programme": cert.award.programme,
        "org": cert.award.programme.organisation, "level": certificates.LEVEL_TH.get(cert.award.programme.level, ""),
    })  # fmt: skip


@never_cache
def badge(request: HttpRequest, code: str) -> HttpResponse:
    cert = _by_code(code)
    response = JsonResponse(
        certificates.open_badge(cert, request), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Type"] = "application/ld+json; charset=utf-8"
    return response


urlpatterns = [
    path("awards/<int:pk>/certificates/<int:cpk>/pdf/", certificate_pdf, name="certificate_pdf"),
    path("awards/verify/<str:code>/", verify, name="verify"),
    path("awards/verify/<str:code>/badge.json", badge, name="badge"),
]
