"""The session record's photos and files and its document (บันทึกกิจกรรม PLC); the head's
approval of PLC hours per academic term and the organisation's minimum."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from platu.communities import access, records
from platu.communities.models import Community, RecordFile, SessionRecord
from platu.knowledge.files import file_response
from platu.lib.errors import ActionRefused, InvalidAction
from platu.lib.ids import MAX_ID, parse_int
from platu.orgs import access as org_access
from platu.orgs.models import Person


class RecordFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Photo or file"))


@login_required
@require_POST
def record_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_user(request, pk)
    form = RecordFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            records.add_record_file(session, form.cleaned_data["file"], acting_user=request.user)
        except (InvalidAction, ActionRefused) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The file was attached."))
    return redirect(reverse("communities:record", args=[session.pk]) + "#files")


@login_required
@require_POST
def record_file_delete(request: HttpRequest, pk: int, uid: uuid.UUID) -> HttpResponse:
    session = access.get_session_for_user(request, pk)
    row = RecordFile.objects.filter(session=session, uid=uid).first()
    if row is None:
        raise Http404
    try:
        records.delete_record_file(row, acting_user=request.user)
    except (InvalidAction, ActionRefused) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The file was removed."))
    return redirect(reverse("communities:record", args=[session.pk]) + "#files")


def record_file(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """Served only to those who may see the community; images may be shown inline."""
    row = RecordFile.objects.filter(uid=uid).select_related("session").first()
    if (
        row is None
        or not Community.objects.visible_to(request.user).filter(pk=row.session.community_id).exists()
    ):
        raise Http404
    inline = row.is_image and request.GET.get("inline") == "1"
    response: HttpResponse = file_response(row.file, row.name, row.content_type, inline=inline)
    return response


@login_required
def record_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    from platu.communities import documents
    from platu.exports.formats import CONTENT_TYPES

    session = access.get_session_for_user(request, pk)
    if fmt not in ("pdf", "docx", "xlsx"):
        raise Http404
    row = SessionRecord.objects.filter(session=session).select_related("written_by", "signed_by").first()
    response = HttpResponse(documents.render_record(session, row, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="plc-record-{session.pk}.{fmt}"'
    return response


@login_required
@require_POST
def hours_minimum(request: HttpRequest, code: str) -> HttpResponse:
    org = org_access.get_organisation_for_user(request, code)
    if not org_access.can_admin(request.user, org):
        raise Http404
    typed = request.POST.get("minimum_hours", "")[:20]
    try:
        policy = records.set_minimum(org, typed, acting_user=request.user)
    except (InvalidAction, ActionRefused) as exc:
        from platu.communities.views_time import org_hours_context

        context = org_hours_context(request, org) | {"minimum_typed": typed, "minimum_error": exc.message}
        return render(request, "communities/org_hours.html", context, status=200)
    else:
        messages.success(
            request,
            _("The minimum is now %(n)s hours a year.")
            % {"n": f"{policy.minimum_hours:f}".rstrip("0").rstrip(".")},
        )
    return redirect(reverse("communities:org_hours", args=[org.code]) + "#minimum")


@login_required
@require_POST
def hours_term(request: HttpRequest, code: str, person_pk: int) -> HttpResponse:
    org = org_access.get_organisation_for_user(request, code)
    if not org_access.can_admin(request.user, org):
        raise Http404
    person = Person.objects.filter(pk=person_pk, memberships__organisation=org).first()
    if person is None:
        raise Http404
    term_text = request.POST.get("term", "")
    term, _sep, year = term_text.partition("/")
    fy = parse_int(request.POST.get("fy"))
    try:
        records.approve_term(org, person, parse_int(year, maximum=MAX_ID) or 0, parse_int(term) or 0,
                             acting_user=request.user, withdraw=request.POST.get("op") == "withdraw")  # fmt: skip
    except (InvalidAction, ActionRefused) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The approval was withdrawn.")
            if request.POST.get("op") == "withdraw"
            else _("The hours of academic term %(term)s were approved.") % {"term": term_text},
        )
    url = reverse("communities:person_hours", args=[org.code, person.pk])
    return redirect(f"{url}?fy={fy}#terms" if fy else f"{url}#terms")


urlpatterns = [
    path("sessions/<int:pk>/record/files/", record_file_add, name="record_file_add"),
    path("sessions/<int:pk>/record/files/<uuid:uid>/delete/", record_file_delete, name="record_file_delete"),
    path("session-files/<uuid:uid>/", record_file, name="record_file"),
    path("sessions/<int:pk>/record.<str:fmt>", record_document, name="record_document"),
    path("orgs/<slug:code>/plc-hours/minimum/", hours_minimum, name="hours_minimum"),
    path("orgs/<slug:code>/plc-hours/<int:person_pk>/terms/", hours_term, name="hours_term"),
]
