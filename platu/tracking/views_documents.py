"""The progress reports, the year-end summary and the evidence pack (downloads).

Reports and the summary: whoever may read the plan (the organisation and the offices above it);
anyone else gets 404 from the access helpers.

The evidence pack: the organisation's KM team, CKO and CEO, and the offices above it (the
supervising office, the assessors' side). A member of the organisation who may read the plan
but holds none of these roles gets 403, not 404: they already see the plan, its rounds and each
evidence file one by one, so a 404 would hide nothing, while 403 tells them who may download
the whole pack (it bundles every file of the year, and each download is written to the audit
log)."""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, path
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _

from platu.audit.log import record
from platu.exports.formats import CONTENT_TYPES
from platu.lib.errors import ActionRefused
from platu.orgs import access as org_access
from platu.orgs.models import Role
from platu.planning import access as plan_access
from platu.planning.models import Plan
from platu.tracking import access, documents, pack

R = "orgs/<slug:code>/plans/<int:year>/monitoring/"


def _download(data: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


@login_required
def report(request: HttpRequest, code: str, year: int, months: int, fmt: str) -> HttpResponse:
    """The progress report of the 6-, 9- or 12-month round."""
    if fmt not in documents.FORMATS:
        raise Http404
    row = access.get_round_for_user(request, code, year, months)
    doc = documents.progress_document(row)
    return _download(documents.render(doc, fmt), f"{doc.filename}.{fmt}", fmt)


@login_required
def summary(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    """The year-end KM summary of the latest revision of the plan."""
    if fmt not in documents.FORMATS:
        raise Http404
    plan = plan_access.get_plan_for_user(request, code, year)
    doc = documents.year_end_document(plan)
    return _download(documents.render(doc, fmt), f"{doc.filename}.{fmt}", fmt)


def can_download_pack(user: Any, plan: Plan) -> bool:
    """The organisation's KM team, CKO and CEO (site staff too), and the members of the
    offices above it."""
    if access.is_km_team(user, plan) or access.has_role(user, plan, Role.CKO, Role.CEO):
        return True
    org = plan.organisation
    return any(
        m.organisation_id != org.pk and org.path.startswith(m.organisation.path)
        for m in org_access.memberships_of(user)
    )


@login_required
def evidence_pack(request: HttpRequest, code: str, year: int) -> HttpResponseBase:
    """The plan's evidence pack, built into a temporary file and streamed from it."""
    plan = plan_access.get_plan_for_user(request, code, year)
    if not can_download_pack(request.user, plan):
        raise ActionRefused(
            _(
                "Only the organisation's KM team, CKO and CEO, and the offices above it, download the evidence pack."
            )
        )
    out = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it once sent (and so deletes it)
    try:
        built = pack.write_evidence_pack(plan, out, base_url=request.build_absolute_uri("/").rstrip("/"))
        size = out.tell()
        out.seek(0)
    except BaseException:
        out.close()
        raise
    record("tracking.evidence_pack", actor=request.user, obj=plan, organisation=plan.organisation,
           data={"year": plan.fiscal_year, "revision": plan.revision, "reports": len(built.reports),
                 "evidence": len(built.rows), "files": built.files, "missing": built.missing, "size": size})  # fmt: skip
    return FileResponse(
        out, as_attachment=True, filename=pack.pack_filename(plan), content_type="application/zip"
    )


urlpatterns: list[URLPattern] = [
    path(R + "<int:months>/report.<str:fmt>", report, name="report"),
    path(R + "summary.<str:fmt>", summary, name="summary"),
    path(R + "evidence-pack.zip", evidence_pack, name="evidence_pack"),
]
