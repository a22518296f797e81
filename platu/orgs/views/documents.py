"""Downloading worksheets 5 and 6 (the KM teams) as PDF, DOCX or XLSX: one team, or all the
organisation's teams of one worksheet. Whoever may see the organisation may download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_GET

from platu.exports.document import Document
from platu.exports.formats import CONTENT_TYPES
from platu.orgs import access
from platu.orgs import documents as team_documents
from platu.orgs.models import Team


def _download(doc: Document, fmt: str) -> HttpResponse:
    from platu.exports import docx, pdf, xlsx

    if fmt not in CONTENT_TYPES:
        raise Http404
    data = {"pdf": pdf.render, "docx": docx.render, "xlsx": xlsx.render}[fmt](doc)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    filename = escape_uri_path(f"{doc.filename}.{fmt}")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@require_GET
@login_required
def team_document(request: HttpRequest, code: str, pk: int, fmt: str) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    team = Team.objects.filter(organisation=org, pk=pk).select_related("organisation").first()
    if team is None or fmt not in CONTENT_TYPES:
        raise Http404
    return _download(team_documents.team_document(team), fmt)


@require_GET
@login_required
def teams_document(request: HttpRequest, code: str, sheet: int, fmt: str) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    if sheet not in team_documents.SHEETS or fmt not in CONTENT_TYPES:
        raise Http404
    return _download(team_documents.organisation_document(org, sheet), fmt)
