"""Survey pages: my surveys, an organisation's surveys and settings, making and building a survey
(sections and questions, without JavaScript), opening and closing it, answering it (a plain
HTML form that works on a phone with JavaScript off: one page or one page per section, checked
on the server), its results (SVG charts beside tables, by organisation) and the XLSX export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platu.lib import thaidate
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.lib.ids import MAX_ID, parse_int
from platu.orgs import access as org_access
from platu.surveys import access, actions, results, tables, tally
from platu.surveys.export import write as write_xlsx
from platu.surveys.forms import QuestionForm, ReopenForm, SectionForm, SettingsForm, SurveyForm
from platu.surveys.models import (
    Answer,
    Draft,
    Invitation,
    Question,
    Response,
    Section,
    Survey,
    SurveySettings,
    min_group_for,
)
from platu.surveys.tasks import export_responses

REFUSED = _("Only the organisation's administrators and KM team manage its surveys.")


def _refuse_unless_manager(request: HttpRequest, survey: Survey) -> None:
    if not access.can_manage(request.user, survey):
        raise PermissionDenied(REFUSED)


# -- lists ----------------------------------------------------------------------------------------


@login_required
def my_surveys(request: HttpRequest) -> HttpResponse:
    person = org_access.person_of(request.user)
    today = timezone.localdate()
    invitations = (
        list(Invitation.objects.filter(person=person, survey__state__in=[Survey.State.OPEN, Survey.State.CLOSED])
             .select_related("survey__organisation").order_by("-survey__closes_on")[:100])
        if person else []
    )  # fmt: skip
    late = (
        set(Draft.objects.filter(person=person, late=True).values_list("survey_id", flat=True))
        if person
        else set()
    )
    return render(request, "surveys/my.html", {
        "waiting": [i for i in invitations if not i.answered and i.survey.accepting(today)],
        "answered": [i for i in invitations if i.answered],
        "late": [i for i in invitations if i.survey_id in late and not i.answered],
        "managed": access.managed_orgs(request.user),
    })  # fmt: skip


def _org_for_surveys(request: HttpRequest, code: str) -> Any:
    org = org_access.get_organisation_for_user(request, code)
    above = set(org.ancestor_ids())
    reads = access.can_manage_org(request.user, org) or any(
        m.organisation_id in above and m.is_admin for m in org_access.memberships_of(request.user)
    )
    if not reads:
        raise PermissionDenied(REFUSED)
    return org


@login_required
def org_surveys(request: HttpRequest, code: str) -> HttpResponse:
    org = _org_for_surveys(request, code)
    manager = access.can_manage_org(request.user, org)
    surveys = Survey.objects.filter(organisation=org).annotate(
        n_responses=Count("responses", distinct=True),
    )
    if not manager:
        surveys = surveys.exclude(state=Survey.State.DRAFT)
    return render(request, "surveys/org_list.html", {
        "org": org, "surveys": list(surveys), "can_manage": manager,
        "can_settings": access.can_edit_settings(request.user, org), "min_group": min_group_for(org),
    })  # fmt: skip


@login_required
def org_settings(request: HttpRequest, code: str) -> HttpResponse:
    org = org_access.get_organisation_for_user(request, code)
    if not access.can_edit_settings(request.user, org):
        raise PermissionDenied(_("Only the organisation's CEO, CKO, KM team lead or secretary may do this."))
    row = SurveySettings.objects.filter(organisation=org).first() or SurveySettings(organisation=org)
    form = SettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_min_group(org, form.cleaned_data["min_group"], acting_user=request.user)
        except (ActionRefused, InvalidAction) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("surveys:org", org.code)
    return render(request, "surveys/settings.html", {"org": org, "form": form})


# -- making and managing --------------------------------------------------------------------------


@login_required
def survey_new(request: HttpRequest, code: str) -> HttpResponse:
    org = org_access.get_organisation_for_user(request, code)
    if not access.can_manage_org(request.user, org):
        raise PermissionDenied(REFUSED)
    form = SurveyForm(request.POST or None, org=org, initial=_initial(request, org))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = actions.create_survey(
                org, data, template=data.get("template") or "", acting_user=request.user
            )
        except (ActionRefused, InvalidAction) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The survey was made as a draft: check its questions, then open it."))
            return redirect(survey.get_absolute_url())
    return render(request, "surveys/form.html", {"org": org, "form": form})


def _initial(request: HttpRequest, org: Any) -> dict[str, Any] | None:
    """A template and an audience named in the address (from a session's or a community's page)."""
    if request.method == "POST":
        return None
    form = SurveyForm(org=org)
    initial = dict(form.initial)
    if request.GET.get("template"):
        initial["template"] = request.GET["template"][:30]
    for name in ("session", "community"):
        pk = parse_int(request.GET.get(name), maximum=MAX_ID)
        if pk:
            initial["audience"], initial[name] = name, pk
    return initial


def _form_error(form: Any, exc: ActionRefused | InvalidAction) -> None:
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, exc.message)


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.get_survey_for_manager(request, pk)
    if not access.can_manage(request.user, survey):
        if access.can_see_results(request.user, survey) and survey.state != Survey.State.DRAFT:
            return redirect("surveys:results", survey.pk)
        raise PermissionDenied(REFUSED)
    sections = list(survey.sections.order_by("order", "pk"))
    questions = list(survey.questions.order_by("order", "pk"))
    for s in sections:
        s.items = [q for q in questions if q.section_id == s.pk]  # type: ignore[attr-defined]
    counts = Invitation.objects.filter(survey=survey).aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(answered=True))
    )
    return render(request, "surveys/detail.html", {
        "survey": survey, "org": survey.organisation, "sections": sections, "n_questions": len(questions),
        "counts": counts, "responses": Response.objects.filter(survey=survey).count(),
        "accepting": survey.accepting(timezone.localdate()), "reopen_form": ReopenForm(org=survey.organisation),
        "audience_label": _audience_label(survey), "can_settings": access.can_edit_settings(request.user, survey.organisation),
    })  # fmt: skip


def _audience_label(survey: Survey) -> str:
    if survey.audience in (Survey.Audience.ORGANISATION, Survey.Audience.SUBTREE) and survey.audience_org:
        return f"{survey.get_audience_display()}: {survey.audience_org.name}"
    if survey.audience == Survey.Audience.COMMUNITY and survey.community:
        return f"{survey.get_audience_display()}: {survey.community.name}"
    if survey.audience == Survey.Audience.SESSION and survey.session:
        return f"{survey.get_audience_display()}: {survey.session.title}"
    return str(survey.get_audience_display())


@login_required
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.get_survey_for_manager(request, pk)
    _refuse_unless_manager(request, survey)
    if survey.state == Survey.State.CLOSED:
        messages.error(request, _("A closed survey is not changed; reopen it to take more answers."))
        return redirect(survey.get_absolute_url())
    form = SurveyForm(request.POST or None, org=survey.organisation, survey=survey)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in form.fields}
        if not data.get("title"):
            data["title"] = survey.title
        try:
            actions.update_survey(survey, data, acting_user=request.user,
                                  base_version=parse_int(request.POST.get("version")) or 0)  # fmt: skip
        except EditConflict:
            form.add_error(None, _("Someone else changed this survey while you were editing it. Nothing was saved; "
                                   "your text is still below."))  # fmt: skip
        except (ActionRefused, InvalidAction) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(survey.get_absolute_url())
    return render(request, "surveys/form.html", {"org": survey.organisation, "form": form, "survey": survey})


@login_required
@require_POST
def survey_action(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.get_survey_for_manager(request, pk)
    _refuse_unless_manager(request, survey)
    op = request.POST.get("op", "")
    target = survey.get_absolute_url()
    try:
        if op == "open":
            invited = actions.open_survey(survey, acting_user=request.user)
            messages.success(
                request, _("The survey is open: %(n)s people are asked to answer.") % {"n": invited}
            )
        elif op == "close":
            actions.close_survey(survey, acting_user=request.user)
            messages.success(request, _("The survey is closed."))
        elif op == "reopen":
            form = ReopenForm(request.POST, org=survey.organisation)
            if not form.is_valid():
                raise InvalidAction(
                    _("Type the new closing day as day/month/B.E. year, for example 1/10/2568.")
                )
            actions.reopen_survey(survey, form.cleaned_data["closes_on"], acting_user=request.user)
            messages.success(request, _("The survey is open again."))
        elif op == "copy":
            copy = actions.copy_survey(survey, acting_user=request.user)
            messages.success(request, _("A copy was made as a draft: change it, then open it."))
            target = copy.get_absolute_url()
        elif op == "delete":
            org = survey.organisation
            actions.delete_survey(survey, acting_user=request.user)
            messages.success(request, _("The draft was deleted."))
            target = reverse("surveys:org", args=[org.code])
        else:
            raise InvalidAction(_("Unknown request."))
    except (ActionRefused, InvalidAction) as exc:
        messages.error(request, exc.message)
    return redirect(target)


@login_required
def section_edit(request: HttpRequest, pk: int, section_pk: int | None = None) -> HttpResponse:
    survey = access.get_survey_for_manager(request, pk)
    _refuse_unless_manager(request, survey)
    section = None
    if section_pk is not None:
        section = Section.objects.filter(survey=survey, pk=section_pk).first()
        if section is None:
            raise Http404
    if request.method == "POST" and request.POST.get("op") == "delete" and section is not None:
        try:
            actions.delete_section(section, acting_user=request.user)
            messages.success(request, _("The section was deleted."))
        except (ActionRefused, InvalidAction) as exc:
            messages.error(request, exc.message)
        return redirect(survey.get_absolute_url())
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_section(survey, section, form.cleaned_data["title"], form.cleaned_data["description"],
                                 acting_user=request.user)  # fmt: skip
        except (ActionRefused, InvalidAction) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
        return redirect(survey.get_absolute_url())
    return render(request, "surveys/section_form.html", {"survey": survey, "org": survey.organisation,
                                                         "form": form, "section": section})  # fmt: skip


@login_required
def question_edit(request: HttpRequest, pk: int, question_pk: int | None = None) -> HttpResponse:
    survey = access.get_survey_for_manager(request, pk)
    _refuse_unless_manager(request, survey)
    question = None
    if question_pk is not None:
        question = Question.objects.filter(survey=survey, pk=question_pk).first()
        if question is None:
            raise Http404
    if (
        request.method == "POST"
        and request.POST.get("op") in ("delete", "up", "down")
        and question is not None
    ):
        try:
            if request.POST["op"] == "delete":
                actions.delete_question(question, acting_user=request.user)
                messages.success(request, _("The question was deleted."))
            else:
                actions.move_question(question, request.POST["op"] == "up", acting_user=request.user)
        except (ActionRefused, InvalidAction) as exc:
            messages.error(request, exc.message)
        return redirect(survey.get_absolute_url() + f"#section-{question.section_id}")
    extra = {}  # an existing question's own values come from the form (a None initial would hide them)
    if question is None and request.method != "POST":
        section_id = parse_int(request.GET.get("section"), maximum=MAX_ID)
        extra["initial"] = {"required": True, "kind": Question.Kind.LIKERT, "section": section_id}
    form = QuestionForm(request.POST or None, survey=survey, question=question, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_question(survey, question, form.cleaned_data, acting_user=request.user)
        except (ActionRefused, InvalidAction) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(survey.get_absolute_url() + f"#q-{saved.pk}")
    return render(request, "surveys/question_form.html", {"survey": survey, "org": survey.organisation,
                                                          "form": form, "question": question})  # fmt: skip


# -- answering ------------------------------------------------------------------------------------


def _items(questions: list[Question], raw: dict[str, Any], errors: dict[int, str]) -> list[dict[str, Any]]:
    out = []
    for q in questions:
        value = raw.get(str(q.pk))
        chosen = (
            {str(v) for v in value}
            if isinstance(value, list)
            else {str(value)}
            if value not in (None, "")
            else set()
        )
        out.append({"q": q, "name": f"q{q.pk}", "value": value if isinstance(value, str) else "",
                    "chosen": chosen, "error": errors.get(q.pk, ""),
                    "choices": [(str(v), label) for v, label in q.choices()]})  # fmt: skip
    return out


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    survey, person = access.get_survey_to_answer(request, pk)
    today = timezone.localdate()
    invitation = Invitation.objects.filter(survey=survey, person=person).first()
    draft = Draft.objects.filter(survey=survey, person=person).first()
    sections = list(survey.sections.order_by("order", "pk"))
    questions = list(survey.questions.order_by("order", "pk"))
    numbers = {q.pk: n for n, q in enumerate(questions, start=1)}
    for q in questions:
        q.number = numbers[q.pk]  # type: ignore[attr-defined]
    base = {"survey": survey, "org": survey.organisation, "min_group": min_group_for(survey.organisation)}
    if invitation is not None and invitation.answered:
        return render(request, "surveys/answered.html", base)
    accepting = survey.accepting(today)
    paged = not survey.one_page and len(sections) > 1
    page = parse_int(request.POST.get("page") if request.method == "POST" else request.GET.get("page")) or 1
    page = min(max(page, 1), len(sections) if paged else 1)
    shown = [s for s in sections if not paged or s.order == sections[page - 1].order]
    page_questions = [q for q in questions if q.section_id in {s.pk for s in shown}]
    raw = dict(draft.data) if draft else {}
    errors: dict[int, str] = {}
    if request.method == "POST":
        sent = actions.raw_from_post(page_questions, request.POST)
        raw.update(sent)
        go = request.POST.get("go", "send")
        if not accepting:
            try:
                actions.submit(survey, person, raw, acting_user=request.user)
            except actions.SurveyClosed as exc:
                messages.warning(request, exc.message)
            return redirect("surveys:answer", survey.pk)
        if paged and go == "back":
            actions.save_draft(survey, person, sent)
            return redirect(reverse("surveys:answer", args=[survey.pk]) + f"?page={page - 1}")
        if go == "save":
            actions.save_draft(survey, person, sent)
            messages.success(
                request, _("Your answers are saved. Come back to send them before the survey closes.")
            )
            return redirect(reverse("surveys:answer", args=[survey.pk]) + (f"?page={page}" if paged else ""))
        _cleaned, errors = actions.clean_answers(page_questions, raw)
        if not errors:
            if paged and page < len(sections):
                actions.save_draft(survey, person, sent)
                return redirect(reverse("surveys:answer", args=[survey.pk]) + f"?page={page + 1}")
            try:
                actions.submit(survey, person, raw, acting_user=request.user)
            except actions.SurveyClosed as exc:
                messages.warning(request, exc.message)
                return redirect("surveys:answer", survey.pk)
            except InvalidAction as exc:  # a required answer on an earlier page, or answered twice
                actions.save_draft(survey, person, sent)
                messages.error(request, exc.message)
                first = _first_page_with_errors(sections, questions, raw) if paged else 1
                return redirect(
                    reverse("surveys:answer", args=[survey.pk]) + (f"?page={first}" if paged else "")
                )
            messages.success(request, _("Thank you: your answers were sent."))
            return redirect("surveys:answer", survey.pk)
    by_section = []
    for s in shown:
        by_section.append({"section": s, "items": _items([q for q in page_questions if q.section_id == s.pk],
                                                         raw, errors)})  # fmt: skip
    return render(request, "surveys/answer.html", {
        **base, "accepting": accepting, "today": today, "draft": draft, "paged": paged, "page": page,
        "pages": len(sections), "sections": by_section, "errors": errors,
        "error_items": [q for q in page_questions if q.pk in errors],
    }, status=200)  # fmt: skip


def _first_page_with_errors(sections: list[Section], questions: list[Question], raw: dict[str, Any]) -> int:
    for n, s in enumerate(sections, start=1):
        _c, errors = actions.clean_answers([q for q in questions if q.section_id == s.pk], raw)
        if errors:
            return n
    return 1


# -- results --------------------------------------------------------------------------------------


@login_required
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.get_survey_for_results(request, pk)
    if not access.can_see_results(request.user, survey):
        raise PermissionDenied(
            _("Only the survey's managers and the administrators of the offices above see its results.")
        )
    digits = survey.organisation.thai_digits
    result = results.compute(survey, thai_digits=digits, with_texts=False)  # texts on their own pages
    note = results.hidden_note(result.min_group)
    note = thaidate.thai_digits(note) if digits else note
    return render(request, "surveys/results.html", {
        "org_rows": tables.by_org_rows(result, note), "question_rows": tables.by_question_rows(result),
        "survey": survey, "org": survey.organisation, "r": result, "can_manage": access.can_manage(request.user, survey),
        "hidden_note": note, "audience_label": _audience_label(survey),
    })  # fmt: skip


@login_required
def survey_texts(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """A text question's answers, 50 a page, in the order of their text (never of their arrival)."""
    survey = access.get_survey_for_results(request, pk)
    if not access.can_see_results(request.user, survey):
        raise PermissionDenied(
            _("Only the survey's managers and the administrators of the offices above see its results.")
        )
    question = Question.objects.filter(survey=survey, pk=question_pk).first()
    if question is None or not question.is_text:
        raise Http404
    min_group = min_group_for(survey.organisation)
    answered, _invited = tally.turnout(survey.pk)
    shown = not survey.anonymous or sum(answered.values()) >= min_group
    texts = (
        Answer.objects.filter(question=question)
        .exclude(text="")
        .order_by("text")
        .values_list("text", flat=True)
    )
    page = Paginator(texts, results.TEXTS_PAGE).get_page(request.GET.get("page")) if shown else None
    return render(request, "surveys/texts.html", {
        "survey": survey, "org": survey.organisation, "question": question, "page": page, "min_group": min_group,
        "number": survey.questions.filter(order__lt=question.order).count() + 1,
    })  # fmt: skip


SYNC_EXPORT_LIMIT = 5000  # responses written while the request waits; more are prepared in the background
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def survey_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The responses as XLSX: at once for a survey of up to 5,000 responses; for a larger one a
    page that prepares the file in the background (POST) and shows its progress, then the file."""
    from platu.audit.log import record
    from platu.exports.models import Export

    survey = access.get_survey_for_results(request, pk)
    if not access.can_see_results(request.user, survey):
        raise PermissionDenied(
            _("Only the survey's managers and the administrators of the offices above see its results.")
        )
    min_group = min_group_for(survey.organisation)
    answered, _invited = tally.turnout(survey.pk)
    responses = sum(answered.values())
    if survey.anonymous and responses < min_group:
        messages.error(request, results.hidden_note(min_group))
        return redirect("surveys:results", survey.pk)
    filename = f"survey-{survey.pk}-responses.xlsx"
    if responses <= SYNC_EXPORT_LIMIT:
        record("survey.export", actor=request.user, obj=survey, organisation=survey.organisation)
        return FileResponse(write_xlsx(survey), as_attachment=True, filename=filename, content_type=XLSX)
    # What the file shows changes with each response and with the organisation's minimum group.
    key = f"survey:{survey.pk}:responses:{responses}:{min_group}:{survey.version}"
    job = Export.objects.filter(key=key).first()
    if request.method == "POST":
        if job is None or job.status == Export.Status.FAILED:
            if job is not None:
                job.delete()
            job = Export.objects.create(
                organisation=survey.organisation, key=key, filename=filename, content_type=XLSX
            )
            job_id = job.pk
            transaction.on_commit(lambda: export_responses.enqueue(job_id, survey.pk))
        return redirect("surveys:export", survey.pk)
    if job is not None and job.status == Export.Status.DONE and job.file and request.GET.get("download"):
        record("survey.export", actor=request.user, obj=survey, organisation=survey.organisation)
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=XLSX)
    template = (
        "surveys/includes/export_status.html" if getattr(request, "htmx", False) else "surveys/export.html"
    )
    return render(
        request, template, {"survey": survey, "org": survey.organisation, "job": job, "responses": responses}
    )
