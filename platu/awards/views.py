"""Award pages: an organisation's programmes, a programme (categories, criteria, committee,
nominations, results), nominating, a nomination, the committee's scoring sheet and matrix."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platu.awards import access, actions, scoring
from platu.awards.forms import CommitteeForm, EvidenceForm, NominationForm, ProgrammeForm, ReviewForm
from platu.awards.models import (
    Award,
    Category,
    Certificate,
    CommitteeMember,
    Nomination,
    NominationFile,
    Programme,
)
from platu.knowledge.files import allowed_types_text, file_response
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.lib.ids import MAX_ID, parse_int
from platu.orgs import access as org_access
from platu.orgs.models import Person


def _form_error(form: Any, exc: InvalidAction | ActionRefused) -> None:
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, exc.message)


@login_required
def programmes(request: HttpRequest, code: str) -> HttpResponse:
    org = org_access.get_organisation_for_user(request, code)
    rows = list(
        access.programmes_for(request.user).filter(organisation=org)
        .annotate(n=Count("nominations", filter=Q(nominations__state__in=Nomination.SCORED_STATES)))
    )  # fmt: skip
    above = list(
        access.programmes_for(request.user)
        .filter(organisation_id__in=org.ancestor_ids(), state=Programme.State.OPEN)
        .select_related("organisation")
    )
    return render(request, "awards/programmes.html", {
        "org": org, "programmes": rows, "above": above, "can_manage": access.can_manage_org(request.user, org),
    })  # fmt: skip


def _programme_form_data(form: ProgrammeForm) -> dict[str, Any]:
    return {k: form.cleaned_data[k] for k in actions.FIELDS}


@login_required
def programme_new(request: HttpRequest, code: str) -> HttpResponse:
    org = org_access.get_organisation_for_user(request, code)
    if not access.can_manage_org(request.user, org):
        raise Http404
    form = ProgrammeForm(
        request.POST or None, initial=ProgrammeForm.initial_for(org), thai_digits=org.thai_digits
    )
    if request.method == "POST" and form.is_valid():
        try:
            programme = actions.create_programme(org, _programme_form_data(form), categories=form.categories(),
                                                 criteria=form.parsed_criteria(), acting_user=request.user)  # fmt: skip
        except (InvalidAction, ActionRefused) as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, _("The programme is saved as a draft. Name its committee, then open it.")
            )
            return redirect(reverse("awards:committee", args=[programme.pk]))
    return render(request, "awards/programme_form.html", {"org": org, "form": form, "programme": None})


@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access.get_programme_for_user(request, pk)
    org = programme.organisation
    if not access.can_manage(request.user, programme):
        raise Http404
    form = ProgrammeForm(
        request.POST or None, initial=ProgrammeForm.initial_of(programme), thai_digits=org.thai_digits
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_programme(programme, _programme_form_data(form), categories=form.categories(),
                                     criteria=form.parsed_criteria(), version=form.cleaned_data["version"] or 0,
                                     acting_user=request.user)  # fmt: skip
        except EditConflict as exc:
            form.add_error(None, _("Someone else saved this programme while you were editing. Nothing was saved; your text is still below. Check theirs, then save again."))  # fmt: skip
            data = form.data.copy()  # type: ignore[attr-defined]
            data["version"] = str(exc.current_version)
            form.data = data
        except (InvalidAction, ActionRefused) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(programme.get_absolute_url())
    return render(request, "awards/programme_form.html", {"org": org, "form": form, "programme": programme})


@login_required
def committee(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access.get_programme_for_user(request, pk)
    if not access.can_manage(request.user, programme):
        raise Http404
    people = (
        org_access.network_people(programme.organisation, request.user)
        .filter(memberships__organisation__path__startswith=(programme.organisation.parent or programme.organisation).path)
        .distinct()
        .order_by("sort_key")
    )  # fmt: skip
    rows = list(CommitteeMember.objects.filter(programme=programme).select_related("person"))
    chair = next((r.person for r in rows if r.is_chair), None)
    form = CommitteeForm(request.POST or None, people=people,
                         initial={"chair": chair, "members": [r.person for r in rows]})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_committee(programme, list(form.cleaned_data["members"]), form.cleaned_data["chair"],
                                  acting_user=request.user)  # fmt: skip
        except (InvalidAction, ActionRefused) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The committee is saved."))
            return redirect(programme.get_absolute_url())
    return render(request, "awards/committee.html", {"programme": programme, "org": programme.organisation,
                                                     "form": form})  # fmt: skip


def _visible_nominations(request: HttpRequest, programme: Programme) -> list[Nomination]:
    rows = Nomination.objects.filter(programme=programme).select_related(
        "category", "nominator", "forwarded_from__programme__organisation"
    )
    if not (access.can_manage(request.user, programme) or access.is_committee(request.user, programme)):
        person = org_access.person_of(request.user)
        mine = Q(nominator=person) | Q(person=person) | Q(item__owner=person) if person else Q(pk__in=[])
        rows = rows.filter(mine)
    return list(rows.annotate(n_files=Count("files")))


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access.get_programme_for_user(request, pk)
    actions.close_if_due(programme)
    user = request.user
    members = list(CommitteeMember.objects.filter(programme=programme).select_related("person"))
    awards = list(
        Award.objects.filter(programme=programme)
        .select_related("category", "nomination")
        .prefetch_related("certificates", "forwarded__programme__organisation")
    )
    can_manage = access.can_manage(user, programme)
    is_chair = access.is_chair(user, programme)
    forward = {}
    if awards and (can_manage or is_chair):
        forward = {a.pk: actions.forward_targets(a) for a in awards}
    person = org_access.person_of(user)
    matrix = None
    if programme.state in (Programme.State.SCORING, Programme.State.ANNOUNCED) and (
        is_chair or can_manage or access.is_committee(user, programme)
    ):
        matrix = scoring.build(programme)
    return render(request, "awards/programme.html", {
        "programme": programme, "org": programme.organisation, "members": members,
        "categories": list(Category.objects.filter(programme=programme)),
        "criteria": list(programme.criteria.all()), "nominations": _visible_nominations(request, programme),
        "awards": awards, "forward": forward, "can_manage": can_manage, "is_chair": is_chair,
        "is_committee": any(m.person_id == getattr(person, "pk", None) for m in members),
        "accepting": actions.accepting(programme), "matrix": matrix,
        "my_person_id": getattr(person, "pk", None),
    })  # fmt: skip


@login_required
@require_POST
def programme_action(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access.get_programme_for_user(request, pk)
    op = request.POST.get("op", "")
    try:
        if op == "open":
            actions.open_programme(programme, acting_user=request.user)
            messages.success(request, _("The programme is open for nominations."))
        elif op == "close":
            actions.close_nominations(programme, acting_user=request.user)
            messages.success(request, _("Nominations are closed; the committee scores them now."))
        elif op == "announce":
            actions.announce(programme, acting_user=request.user)
            messages.success(request, _("The results are announced and frozen; the certificates are ready."))
        elif op == "forward":
            award = Award.objects.filter(programme=programme, pk=parse_int(request.POST.get("award"), maximum=MAX_ID) or 0).first()  # fmt: skip
            target = Programme.objects.filter(pk=parse_int(request.POST.get("programme"), maximum=MAX_ID) or 0).first()  # fmt: skip
            if award is None or target is None:
                raise InvalidAction(
                    _("Choose an open programme of the organisation above, with the same category.")
                )
            actions.forward(award, target, acting_user=request.user)
            messages.success(request, _("Forwarded: %(nominee)s is nominated at %(org)s.")
                             % {"nominee": award.nomination.title, "org": target.organisation.name})  # fmt: skip
        elif op == "revoke":
            cert = Certificate.objects.filter(award__programme=programme, pk=parse_int(request.POST.get("certificate"), maximum=MAX_ID) or 0).select_related("award__programme__organisation").first()  # fmt: skip
            if cert is None:
                raise Http404
            actions.revoke(cert, request.POST.get("reason", ""), acting_user=request.user)
            messages.success(request, _("The certificate is revoked; its public page says so."))
        else:
            raise InvalidAction(_("Unknown request."))
    except (InvalidAction, ActionRefused) as exc:
        messages.error(request, exc.message)
    return redirect(programme.get_absolute_url())


def _nominees(
    request: HttpRequest, programme: Programme, categories: list[Category]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The nominee choices, grouped by kind: what the user may see in the organisation's tree."""
    targets = {t for c in categories for t in c.targets}
    groups = []
    labels = dict(Nomination.Target.choices)
    for target in ("item", "session", "community", "person"):
        if target not in targets:
            continue
        qs = actions.eligible(programme, target, request.user)
        if target == "person":
            options = [(f"person:{p.pk}", p.full_name) for p in qs.order_by("sort_key")[:500]]
        elif target == "community":
            options = [(f"community:{c.pk}", c.name) for c in qs.order_by("name")[:300]]
        elif target == "session":
            options = [(f"session:{s.pk}", f"{s.title} ({s.community.name})")
                       for s in qs.select_related("community").order_by("-starts_at")[:300]]  # fmt: skip
        else:
            options = [
                (f"item:{i.pk}", i.title)
                for i in qs.order_by("-published_at", "-pk").only("pk", "title")[:300]
            ]
        if options:
            groups.append((str(labels[target]), options))
    return groups


def _resolve(programme: Programme, value: str, user: Any) -> tuple[str, Any]:
    target, _sep, raw = (value or "").partition(":")
    pk = parse_int(raw, maximum=MAX_ID)
    if target not in Nomination.Target.values or pk is None:
        raise InvalidAction(_("Choose a nominee you may see in the organisation."), field="nominee")
    return target, actions.eligible(programme, target, user).filter(pk=pk).first()


@login_required
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    programme = access.get_programme_for_user(request, pk)
    actions.close_if_due(programme)
    if not actions.accepting(programme):
        messages.error(request, _("Nominations for this programme are not open."))
        return redirect(programme.get_absolute_url())
    categories = list(Category.objects.filter(programme=programme))
    form = NominationForm(request.POST or None, request.FILES or None, categories=categories,
                          nominees=_nominees(request, programme, categories))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            category = next((c for c in categories if c.pk == form.cleaned_data["category"]), None)
            if category is None:
                raise InvalidAction(_("Choose a category of this programme."), field="category")
            target, obj = _resolve(programme, form.cleaned_data["nominee"], request.user)
            files = [form.cleaned_data["file"]] if form.cleaned_data.get("file") else []
            row = actions.nominate(programme, category, target, obj, form.cleaned_data["statement"], files=files,
                                   acting_user=request.user)  # fmt: skip
        except (InvalidAction, ActionRefused) as exc:
            if getattr(exc, "field", None) == "target":
                exc.field = "nominee"  # type: ignore[union-attr]
            _form_error(form, exc)
        else:
            messages.success(request, _("Your nomination is sent to the committee."))
            return redirect(row.get_absolute_url())
    return render(request, "awards/nominate.html", {
        "programme": programme, "org": programme.organisation, "form": form, "categories": categories,
        "upload_types": allowed_types_text(),
    })  # fmt: skip


@login_required
def nomination_detail(request: HttpRequest, pk: int, npk: int) -> HttpResponse:
    nomination = access.get_nomination_for_user(request, pk, npk)
    programme = nomination.programme
    person = org_access.person_of(request.user)
    is_nominator = person is not None and nomination.nominator_id == person.pk
    target_url = ""
    obj = nomination.target_obj()
    if obj is not None:
        target_url = _target_url(request, nomination.target, obj)
    return render(request, "awards/nomination.html", {
        "nomination": nomination, "programme": programme, "org": programme.organisation,
        "files": list(NominationFile.objects.filter(nomination=nomination))
        if access.can_see_nomination(request.user, nomination, evidence=True) else [],
        "target_url": target_url,
        "is_nominator": is_nominator, "is_chair": access.is_chair(request.user, programme),
        "accepting": actions.accepting(programme), "review_form": ReviewForm(), "evidence_form": EvidenceForm(),
        "upload_types": allowed_types_text(),
        "forwarded_to": list(Nomination.objects.filter(forwarded_from__nomination=nomination)
                             .select_related("programme__organisation")),
    })  # fmt: skip


def _target_url(request: HttpRequest, target: str, obj: Any) -> str:
    """A link to the nominee only where the reader may open it."""
    from platu.communities.models import Community
    from platu.knowledge.models import Item

    user = request.user
    if target == "item" and Item.objects.visible_to(user).filter(pk=obj.pk).exists():
        return str(obj.get_absolute_url())
    if target == "community" and Community.objects.visible_to(user).filter(pk=obj.pk).exists():
        return str(obj.get_absolute_url())
    if target == "session" and Community.objects.visible_to(user).filter(pk=obj.community_id).exists():
        return str(obj.get_absolute_url())
    if target == "person" and Person.objects.for_user(user).filter(pk=obj.pk).exists():
        return reverse("person_detail", args=[obj.pk])
    return ""


@login_required
@require_POST
def nomination_action(request: HttpRequest, pk: int, npk: int) -> HttpResponse:
    nomination = access.get_nomination_for_user(request, pk, npk)
    op = request.POST.get("op", "")
    try:
        if op in ("accept", "reject"):
            actions.review(nomination, op == "accept", request.POST.get("note", ""), acting_user=request.user)
            messages.success(request, _("The nomination is accepted.") if op == "accept" else _("The nomination is marked as not eligible."))  # fmt: skip
        elif op == "withdraw":
            actions.withdraw(nomination, acting_user=request.user)
            messages.success(request, _("The nomination is withdrawn."))
        elif op == "file":
            form = EvidenceForm(request.POST, request.FILES)
            if not form.is_valid():
                raise InvalidAction(_("Choose a file to upload."))
            actions.add_evidence(nomination, form.cleaned_data["file"], acting_user=request.user)
            messages.success(request, _("The evidence was added."))
        else:
            raise InvalidAction(_("Unknown request."))
    except (InvalidAction, ActionRefused) as exc:
        messages.error(request, exc.message)
    return redirect(nomination.get_absolute_url())


def evidence_file(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """Served to who may see the nomination."""
    row = NominationFile.objects.filter(uid=uid).select_related("nomination__programme__organisation").first()
    if row is None or not getattr(request.user, "is_authenticated", False):
        raise Http404
    nomination = row.nomination
    if not access.programmes_for(request.user).filter(pk=nomination.programme_id).exists() or not access.can_see_nomination(request.user, nomination, evidence=True):  # fmt: skip
        raise Http404
    response: HttpResponse = file_response(row.file, row.name, row.content_type, inline=False)
    return response


@login_required
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's own sheet while scoring; everybody's matrix after the announcement."""
    programme = access.get_programme_for_user(request, pk)
    actions.close_if_due(programme)
    member = access.member_row(request.user, programme)
    can_manage = access.can_manage(request.user, programme)
    if member is None and not can_manage:
        raise Http404
    person = org_access.person_of(request.user)
    if request.method == "POST":
        values: dict[tuple[int, int], int | None] = {}
        for key in request.POST:
            if not key.startswith("s-"):
                continue
            text = str(request.POST.get(key, "")).strip()
            n, _sep, k = key[2:].partition("-")
            npk, cpk = parse_int(n, maximum=MAX_ID), parse_int(k, maximum=MAX_ID)
            if npk is None or cpk is None:
                continue
            number = parse_int(text, maximum=10)
            values[(npk, cpk)] = None if not text else -1 if number is None else number  # -1: refused
        try:
            actions.save_scores(programme, values, acting_user=request.user)
        except (InvalidAction, ActionRefused) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your scores are saved. Others on the committee do not see them."))
            return redirect(reverse("awards:scores", args=[programme.pk]))
    matrix = scoring.build(programme, viewer=person)
    if request.method == "POST":  # refused: what the member chose comes back as they chose it
        for row in matrix.rows:
            for criterion in matrix.criteria:
                raw = request.POST.get(f"s-{row.nomination.pk}-{criterion.pk}")
                if raw is not None:
                    value = parse_int(raw, maximum=10)
                    if value is None:
                        row.mine.pop(criterion.pk, None)
                    else:
                        row.mine[criterion.pk] = value
    return render(request, "awards/scores.html", {
        "programme": programme, "org": programme.organisation, "matrix": matrix, "member": member,
        "announced": programme.state == Programme.State.ANNOUNCED,
        "editable": member is not None and programme.state == Programme.State.SCORING,
        "finished": matrix.finished.get(getattr(person, "pk", 0), False),
    })  # fmt: skip


urlpatterns = [
    path("orgs/<slug:code>/awards/", programmes, name="programmes"),
    path("orgs/<slug:code>/awards/new/", programme_new, name="programme_new"),
    path("awards/<int:pk>/", programme_detail, name="programme"),
    path("awards/<int:pk>/edit/", programme_edit, name="programme_edit"),
    path("awards/<int:pk>/committee/", committee, name="committee"),
    path("awards/<int:pk>/do/", programme_action, name="programme_action"),
    path("awards/<int:pk>/nominate/", nominate, name="nominate"),
    path("awards/<int:pk>/scores/", scores, name="scores"),
    path("awards/<int:pk>/nominations/<int:npk>/", nomination_detail, name="nomination"),
    path("awards/<int:pk>/nominations/<int:npk>/do/", nomination_action, name="nomination_action"),
    path("awards/evidence/<uuid:uid>/", evidence_file, name="evidence"),
]
