"""Downloading the plan's documents: worksheets and forms at once, the booklet through a
background task with its progress shown, kept until the plan changes."""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path

from platu.exports.formats import CONTENT_TYPES
from platu.exports.models import Export
from platu.orgs.models import Team, TeamMember
from platu.planning import access, documents
from platu.planning.models import Plan
from platu.planning.tasks import render_plan_document
from platu.planning.views.plans import _revision, plan_context


def _download(data: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


@login_required
def export(request: HttpRequest, code: str, year: int, document: str, fmt: str) -> HttpResponse:
    if document not in documents.DOCUMENTS + documents.TEAM_DOCUMENTS or fmt not in documents.FORMATS:
        raise Http404
    plan = access.get_plan_for_user(request, code, year, _revision(request))
    if document == "booklet":
        return booklet(request, code, year, fmt)
    data = documents.render(plan, document, fmt)
    return _download(data, f"{documents.build(plan, document).filename}.{fmt}", fmt)


def cache_key(plan: Plan, document: str, fmt: str) -> str:
    """Changes whenever what the document shows changes: the plan (its version), the
    organisation's digits and name, its teams and their members."""
    teams = list(Team.objects.filter(organisation=plan.organisation).values_list("pk", "version"))
    members = list(
        TeamMember.objects.filter(team__organisation=plan.organisation).values_list(
            "pk", "role", "person__version"
        )
    )
    org = plan.organisation
    state = f"{plan.version}|{org.version}|{org.thai_digits}|{sorted(teams)}|{sorted(members)}"
    digest = hashlib.sha1(state.encode()).hexdigest()[:16]
    return f"plan:{plan.pk}:{document}:{fmt}:{digest}"


@login_required
def booklet(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    """The booklet's page: GET shows the prepared booklet (or its progress, or a button to
    prepare it) and changes nothing; POST queues its preparation."""
    if fmt not in documents.FORMATS:
        raise Http404
    plan = access.get_plan_for_user(request, code, year, _revision(request))
    key = cache_key(plan, "booklet", fmt)
    job = Export.objects.filter(key=key).first()
    if request.method == "POST":
        if job is None or job.status == Export.Status.FAILED:
            if job is not None:
                job.delete()
            filename = f"{plan.organisation.code}-{plan.fiscal_year}-booklet.{fmt}"
            job = Export.objects.create(
                organisation=plan.organisation, key=key, filename=filename, content_type=CONTENT_TYPES[fmt]
            )
            job_id = job.pk
            transaction.on_commit(lambda: render_plan_document.enqueue(job_id, plan.pk, "booklet", fmt))
        target = reverse("planning:booklet", args=[plan.organisation.code, plan.fiscal_year, fmt])
        return redirect(
            target + ("" if plan_context(request, plan)["is_latest"] else f"?rev={plan.revision}")
        )
    if job is not None and job.status == Export.Status.DONE and job.file and request.GET.get("download"):
        return FileResponse(
            job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=job.content_type
        )
    context = plan_context(request, plan, job=job, fmt=fmt, tab="documents")
    template = "planning/includes/booklet_status.html" if request.htmx else "planning/booklet.html"  # type: ignore[attr-defined]
    return render(request, template, context)
