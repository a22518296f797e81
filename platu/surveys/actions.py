"""Changing surveys and answering them. Each action checks permission, runs in one transaction
and writes an audit row; an answer to an anonymous survey is audited with the survey only (no
person, no address)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.audit.log import record
from platu.audit.middleware import current_ip
from platu.lib import thaidate
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.orgs.models import Organisation, Person
from platu.surveys import access, tally
from platu.surveys.models import (
    Answer,
    Draft,
    Invitation,
    Question,
    Response,
    Section,
    Survey,
    SurveySettings,
)
from platu.surveys.templates_data import TEMPLATES

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000
NUMBER_LIMIT = Decimal("9999999999")
MAX_QUESTIONS = 200


class SurveyClosed(InvalidAction):
    """The survey stopped taking answers while the person was answering: their answers were kept."""


def _require_manage(user: Any, survey: Survey) -> None:
    if not access.can_manage(user, survey):
        raise ActionRefused(_("Only the organisation's administrators and KM team manage its surveys."))


def _require_draft(survey: Survey) -> None:
    """The survey, read again under a lock, is still a draft (opening it takes the same lock)."""
    state = Survey.objects.select_for_update().filter(pk=survey.pk).values_list("state", flat=True).first()
    if state != Survey.State.DRAFT:
        raise InvalidAction(
            _("The questions of an open or closed survey are not changed. Make a copy and change the copy.")
        )


# -- settings -------------------------------------------------------------------------------------


@transaction.atomic
def set_min_group(org: Organisation, min_group: int, *, acting_user: Any) -> SurveySettings:
    if not access.can_edit_settings(acting_user, org):
        raise ActionRefused(_("Only the organisation's CEO, CKO, KM team lead or secretary may do this."))
    if not 3 <= min_group <= 100:
        raise InvalidAction(_("Choose a number from 3 to 100."), field="min_group")
    row, _created = SurveySettings.objects.update_or_create(
        organisation=org, defaults={"min_group": min_group}
    )
    record("survey.settings", actor=acting_user, obj=row, organisation=org, data={"min_group": min_group})
    return row


# -- making surveys -------------------------------------------------------------------------------


def _check_audience(org: Organisation, data: dict[str, Any]) -> dict[str, Any]:
    """The audience fields, checked: what is surveyed lies in the organisation's tree."""
    kind = data.get("audience") or Survey.Audience.ORGANISATION
    out: dict[str, Any] = {"audience": kind, "audience_org": None, "community": None, "session": None}
    if kind in (Survey.Audience.ORGANISATION, Survey.Audience.SUBTREE):
        target = data.get("audience_org") or org
        if not target.path.startswith(org.path):
            raise InvalidAction(_("Choose the organisation or one under it."), field="audience_org")
        if kind == Survey.Audience.SUBTREE and not Organisation.objects.filter(parent=target).exists():
            raise InvalidAction(_("This organisation has no organisations under it."), field="audience_org")
        out["audience_org"] = target
    elif kind == Survey.Audience.COMMUNITY:
        community = data.get("community")
        if community is None or not community.organisation.path.startswith(org.path):
            raise InvalidAction(_("Choose a community of the organisation."), field="community")
        out["community"] = community
    elif kind == Survey.Audience.SESSION:
        session = data.get("session")
        if session is None or not session.community.organisation.path.startswith(org.path):
            raise InvalidAction(
                _("Choose a session of one of the organisation's communities."), field="session"
            )
        out["session"] = session
    else:
        raise InvalidAction(_("Choose who answers."), field="audience")
    return out


def _check_dates(opens_on: dt.date, closes_on: dt.date) -> None:
    if closes_on < opens_on:
        raise InvalidAction(_("The survey must close on or after the day it opens."), field="closes_on")


def _copy_template(survey: Survey, key: str) -> None:
    template = TEMPLATES[key]
    order = 0
    for s_order, (title, questions) in enumerate(template["sections"], start=1):
        section = Section.objects.create(survey=survey, order=s_order, title=title)
        for row in questions:
            kind, text, required = row[0], row[1], row[2]
            options = list(row[3]) if len(row) > 3 else []
            order += 1
            Question.objects.create(survey=survey, section=section, order=order, kind=kind, text=text,
                                    required=required, options=options)  # fmt: skip


@transaction.atomic
def create_survey(org: Organisation, data: dict[str, Any], *, template: str = "", acting_user: Any) -> Survey:
    if not access.can_manage_org(acting_user, org):
        raise ActionRefused(_("Only the organisation's administrators and KM team manage its surveys."))
    if template and template not in TEMPLATES:
        raise InvalidAction(_("There is no such template."))
    _check_dates(data["opens_on"], data["closes_on"])
    audience = _check_audience(org, data)
    title = (data.get("title") or "").strip() or (TEMPLATES[template]["title"] if template else "")
    if not title:
        raise InvalidAction(_("Give the survey a title."), field="title")
    description = data.get("description") or (TEMPLATES[template]["description"] if template else "")
    survey = Survey.objects.create(
        organisation=org, title=title[:200], description=description, template=template,
        anonymous=bool(data.get("anonymous", True)), one_page=bool(data.get("one_page", True)),
        opens_on=data["opens_on"], closes_on=data["closes_on"], created_by=acting_user, **audience,
    )  # fmt: skip
    if template:
        _copy_template(survey, template)
    else:
        Section.objects.create(survey=survey, order=1, title="")
    record("survey.create", actor=acting_user, obj=survey, organisation=org,
           data={"template": template, "audience": survey.audience})  # fmt: skip
    return survey


SETTINGS_FIELDS = ("title", "description", "anonymous", "one_page", "opens_on", "closes_on")


@transaction.atomic
def update_survey(survey: Survey, data: dict[str, Any], *, acting_user: Any, base_version: int) -> None:
    """A draft changes freely; an open survey only its title, introduction and closing day (its
    questions, audience and anonymity stay as the people answering were told)."""
    _require_manage(acting_user, survey)
    locked = Survey.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=survey.pk)
    if locked.version != base_version:
        raise EditConflict(locked.version)
    if locked.state == Survey.State.CLOSED:
        raise InvalidAction(_("A closed survey is not changed; reopen it to take more answers."))
    fields = list(SETTINGS_FIELDS)
    if locked.state == Survey.State.OPEN:
        fields = ["title", "description", "closes_on"]
        if data.get("closes_on") and data["closes_on"] < timezone.localdate():
            raise InvalidAction(_("An open survey closes today or later."), field="closes_on")
    changed = [k for k in fields if k in data and getattr(locked, k) != data[k]]
    for k in changed:
        setattr(locked, k, data[k])
    if locked.state == Survey.State.DRAFT and "audience" in data:
        audience = _check_audience(locked.organisation, data)
        for k, v in audience.items():
            if getattr(locked, k) != v:
                setattr(locked, k, v)
                changed.append(k)
    _check_dates(locked.opens_on, locked.closes_on)
    if not changed:
        return
    locked.version = F("version") + 1
    locked.save()
    record(
        "survey.edit",
        actor=acting_user,
        obj=locked,
        organisation=locked.organisation,
        data={"fields": changed},
    )


@transaction.atomic
def delete_survey(survey: Survey, *, acting_user: Any) -> None:
    _require_manage(acting_user, survey)
    _require_draft(survey)
    record("survey.delete", actor=acting_user, obj=survey, organisation=survey.organisation,
           data={"title": survey.title})  # fmt: skip
    survey.delete()


@transaction.atomic
def copy_survey(survey: Survey, *, acting_user: Any) -> Survey:
    """A new draft with the same sections and questions, to be changed and sent again."""
    _require_manage(acting_user, survey)
    today = timezone.localdate()
    span = max(0, (survey.closes_on - survey.opens_on).days)
    copy = Survey.objects.create(
        organisation=survey.organisation, title=_("%(title)s (copy)") % {"title": survey.title},
        description=survey.description, template=survey.template, anonymous=survey.anonymous,
        one_page=survey.one_page, audience=survey.audience, audience_org=survey.audience_org,
        community=survey.community, session=survey.session, opens_on=today,
        closes_on=today + dt.timedelta(days=span), created_by=acting_user,
    )  # fmt: skip
    sections = {}
    for s in survey.sections.all():
        sections[s.pk] = Section.objects.create(
            survey=copy, order=s.order, title=s.title, description=s.description
        )
    Question.objects.bulk_create(
        Question(survey=copy, section=sections[q.section_id], order=q.order, kind=q.kind, text=q.text,
                 help_text=q.help_text, required=q.required, options=q.options, number_min=q.number_min,
                 number_max=q.number_max)
        for q in survey.questions.all()
    )  # fmt: skip
    record("survey.create", actor=acting_user, obj=copy, organisation=copy.organisation,
           data={"copy_of": survey.pk})  # fmt: skip
    return copy


# -- sections and questions (drafts only) ---------------------------------------------------------


def _renumber(survey: Survey) -> None:
    """Questions numbered through the survey, section by section."""
    sections = {s.pk: s.order for s in survey.sections.all()}
    questions = sorted(survey.questions.all(), key=lambda q: (sections.get(q.section_id, 0), q.order, q.pk))
    for n, q in enumerate(questions, start=1):
        if q.order != n:
            Question.objects.filter(pk=q.pk).update(order=n)
    for n, pk in enumerate(sorted(sections, key=lambda pk: (sections[pk], pk)), start=1):
        if sections[pk] != n:
            Section.objects.filter(pk=pk).update(order=n)


def _touch(survey: Survey, acting_user: Any, what: str) -> None:
    Survey.objects.filter(pk=survey.pk).update(version=F("version") + 1)
    record(
        "survey.questions",
        actor=acting_user,
        obj=survey,
        organisation=survey.organisation,
        data={"what": what},
    )


@transaction.atomic
def save_section(
    survey: Survey, section: Section | None, title: str, description: str, *, acting_user: Any
) -> Section:
    _require_manage(acting_user, survey)
    _require_draft(survey)
    if section is None:
        last = survey.sections.aggregate(m=Max("order"))["m"] or 0
        section = Section(survey=survey, order=last + 1)
    section.title, section.description = title.strip()[:200], description.strip()
    section.save()
    _touch(survey, acting_user, "section")
    return section


@transaction.atomic
def delete_section(section: Section, *, acting_user: Any) -> None:
    survey = section.survey
    _require_manage(acting_user, survey)
    _require_draft(survey)
    if survey.sections.count() < 2:
        raise InvalidAction(_("A survey keeps at least one section."))
    if section.questions.exists():
        raise InvalidAction(_("Move or delete the section's questions first."))
    section.delete()
    _renumber(survey)
    _touch(survey, acting_user, "section")


QUESTION_FIELDS = ("kind", "text", "help_text", "required", "options", "number_min", "number_max", "section")


def _clean_question(survey: Survey, data: dict[str, Any]) -> dict[str, Any]:
    out = {k: data[k] for k in QUESTION_FIELDS if k in data}
    kind = out.get("kind")
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        options = [str(o).strip()[:200] for o in out.get("options") or [] if str(o).strip()]
        if len(options) < 2:
            raise InvalidAction(_("Give at least two choices, one a line."), field="options")
        out["options"] = options[:30]
    else:
        out["options"] = []
    if kind != Question.Kind.NUMBER:
        out["number_min"] = out["number_max"] = None
    elif (
        out.get("number_min") is not None
        and out.get("number_max") is not None
        and out["number_min"] > out["number_max"]
    ):
        raise InvalidAction(_("The smallest number is larger than the largest."), field="number_max")
    section = out.get("section")
    if section is not None and section.survey_id != survey.pk:
        raise InvalidAction(_("Choose one of the survey's sections."), field="section")
    return out


@transaction.atomic
def save_question(
    survey: Survey, question: Question | None, data: dict[str, Any], *, acting_user: Any
) -> Question:
    _require_manage(acting_user, survey)
    _require_draft(survey)
    clean = _clean_question(survey, data)
    if question is None:
        if survey.questions.count() >= MAX_QUESTIONS:
            raise InvalidAction(_("A survey has at most 200 questions."))
        section = clean.get("section") or survey.sections.order_by("order", "pk").last()
        if section is None:
            raise InvalidAction(_("Add a section first."))
        clean["section"] = section
        last = survey.questions.filter(section=section).aggregate(m=Max("order"))["m"]
        if last is None:
            last = (
                survey.questions.filter(section__order__lt=section.order).aggregate(m=Max("order"))["m"] or 0
            )
        Question.objects.filter(survey=survey, order__gt=last).update(order=F("order") + 1)
        question = Question(survey=survey, order=last + 1)
    moved = (
        "section" in clean and clean["section"] and question.pk and clean["section"].pk != question.section_id
    )
    for k, v in clean.items():
        setattr(question, k, v)
    if moved:
        question.order = 10**6  # the end of its new section, then numbered again
    question.save()
    _renumber(survey)
    _touch(survey, acting_user, "question")
    return question


@transaction.atomic
def delete_question(question: Question, *, acting_user: Any) -> None:
    survey = question.survey
    _require_manage(acting_user, survey)
    _require_draft(survey)
    question.delete()
    _renumber(survey)
    _touch(survey, acting_user, "question")


@transaction.atomic
def move_question(question: Question, up: bool, *, acting_user: Any) -> None:
    """One place up or down within its section."""
    survey = question.survey
    _require_manage(acting_user, survey)
    _require_draft(survey)
    siblings = list(survey.questions.filter(section_id=question.section_id).order_by("order", "pk"))
    i = next(n for n, q in enumerate(siblings) if q.pk == question.pk)
    j = i - 1 if up else i + 1
    if 0 <= j < len(siblings):
        a, b = siblings[i], siblings[j]
        Question.objects.filter(pk=a.pk).update(order=b.order)
        Question.objects.filter(pk=b.pk).update(order=a.order)
        _touch(survey, acting_user, "question")


# -- opening, inviting, reminding, closing --------------------------------------------------------


def _invite_audience(survey: Survey) -> int:
    """Invitation rows for the audience not invited yet (in the order of people, not of answers)."""
    have = set(Invitation.objects.filter(survey=survey).values_list("person_id", flat=True))
    ids = [pk for pk in access.audience(survey).order_by("pk").values_list("pk", flat=True) if pk not in have]
    orgs = access.respondent_orgs(survey, ids)
    Invitation.objects.bulk_create(
        (Invitation(survey=survey, person_id=pk, organisation_id=orgs.get(pk)) for pk in ids),
        batch_size=2000, ignore_conflicts=True,
    )  # fmt: skip
    if ids:
        tally.recount_turnout(survey.pk)
    return len(ids)


def _users(invitations: Any) -> list[Any]:
    return [i.person.user for i in invitations.select_related("person__user") if i.person.user_id]


def send_invitations(survey: Survey) -> int:
    """Tell the audience (in Platu and by e-mail) once the survey takes answers; once."""
    from platu.notify.send import notify

    if not Survey.objects.filter(pk=survey.pk, invited_at__isnull=True).update(invited_at=timezone.now()):
        return 0
    _invite_audience(survey)
    users = _users(Invitation.objects.filter(survey=survey, answered=False))
    notify(users, kind="survey.invite", url=survey_answer_url(survey),
           text=_("Please answer the survey “%(title)s” by %(date)s")
           % {"title": survey.title, "date": thaidate.format_date(survey.closes_on, "medium")})  # fmt: skip
    return len(users)


def invite_newcomers(survey: Survey) -> int:
    """Those who joined the audience after the survey opened (a new teacher, a new member of the
    community) get their invitation and are told, while it takes answers."""
    from platu.notify.send import notify

    have = set(Invitation.objects.filter(survey=survey).values_list("person_id", flat=True))
    if not _invite_audience(survey):
        return 0
    users = _users(Invitation.objects.filter(survey=survey, answered=False).exclude(person_id__in=have))
    notify(users, kind="survey.invite", url=survey_answer_url(survey),
           text=_("Please answer the survey “%(title)s” by %(date)s")
           % {"title": survey.title, "date": thaidate.format_date(survey.closes_on, "medium")})  # fmt: skip
    return len(users)


def survey_answer_url(survey: Survey) -> str:
    from django.urls import reverse

    return reverse("surveys:answer", args=[survey.pk])


@transaction.atomic
def open_survey(survey: Survey, *, acting_user: Any) -> int:
    """Draft → open: the questions are frozen; the audience is invited now, or on the opening day."""
    _require_manage(acting_user, survey)
    locked = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("organisation", "audience_org")
        .get(pk=survey.pk)
    )
    if locked.state != Survey.State.DRAFT:
        raise InvalidAction(_("The survey is already open or closed."))
    if not locked.questions.exists():
        raise InvalidAction(_("Add at least one question first."))
    today = timezone.localdate()
    if locked.closes_on < today:
        raise InvalidAction(_("The closing day has passed; choose a later one."), field="closes_on")
    if not access.audience(locked).exists():
        raise InvalidAction(_("Nobody is in the audience yet."))
    Survey.objects.filter(pk=locked.pk).update(state=Survey.State.OPEN, opened_at=timezone.now(),
                                               version=F("version") + 1)  # fmt: skip
    invited = _invite_audience(locked)
    record("survey.open", actor=acting_user, obj=locked, organisation=locked.organisation,
           data={"invited": invited, "opens_on": locked.opens_on.isoformat()})  # fmt: skip
    if locked.opens_on <= today:
        send_invitations(locked)
    return invited


@transaction.atomic
def close_survey(survey: Survey, *, acting_user: Any = None) -> None:
    """Open → closed, by a manager or (``acting_user`` None) after the closing day."""
    if acting_user is not None:
        _require_manage(acting_user, survey)
    if not Survey.objects.filter(pk=survey.pk, state=Survey.State.OPEN).update(
        state=Survey.State.CLOSED, closed_at=timezone.now(), version=F("version") + 1
    ):
        raise InvalidAction(_("The survey is not open."))
    record("survey.close", actor=acting_user, obj=survey, organisation=survey.organisation,
           data={"responses": Response.objects.filter(survey=survey).count()})  # fmt: skip


@transaction.atomic
def reopen_survey(survey: Survey, closes_on: dt.date, *, acting_user: Any) -> None:
    """Closed → open until a new closing day; those whose answers came too late are told."""
    from platu.notify.send import notify

    _require_manage(acting_user, survey)
    if closes_on < timezone.localdate():
        raise InvalidAction(_("Choose a closing day from today on."), field="closes_on")
    if not Survey.objects.filter(pk=survey.pk, state=Survey.State.CLOSED).update(
        state=Survey.State.OPEN,
        closes_on=closes_on,
        closed_at=None,
        reminded_at=None,
        version=F("version") + 1,
    ):
        raise InvalidAction(_("The survey is not closed."))
    record("survey.reopen", actor=acting_user, obj=survey, organisation=survey.organisation,
           data={"closes_on": closes_on.isoformat()})  # fmt: skip
    late = Draft.objects.filter(survey=survey, late=True).select_related("person__user")
    notify([d.person.user for d in late if d.person.user_id], kind="survey.reopened", url=survey_answer_url(survey),
           text=_("The survey “%(title)s” is open again: your kept answers can now be sent")
           % {"title": survey.title})  # fmt: skip


def remind(survey: Survey) -> int:
    """Those who have not answered, once, two days before the survey closes."""
    from platu.notify.send import notify

    if not Survey.objects.filter(pk=survey.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
        return 0
    users = _users(Invitation.objects.filter(survey=survey, answered=False))
    notify(users, kind="survey.reminder", url=survey_answer_url(survey),
           text=_("Reminder: the survey “%(title)s” closes on %(date)s")
           % {"title": survey.title, "date": thaidate.format_date(survey.closes_on, "medium")})  # fmt: skip
    return len(users)


# -- answering -----------------------------------------------------------------------------------

Cleaned = int | list[int] | Decimal | str


def raw_from_post(questions: list[Question], post: Any) -> dict[str, Any]:
    """What the form sent for these questions, as kept in a draft."""
    raw: dict[str, Any] = {}
    for q in questions:
        key = f"q{q.pk}"
        if q.kind == Question.Kind.MULTIPLE:
            raw[str(q.pk)] = [str(v)[:10] for v in post.getlist(key)][:30]
        else:
            raw[str(q.pk)] = str(post.get(key, ""))[: LONG_TEXT_MAX + 100]
    return raw


def parse_number(text: str) -> Decimal:
    value = thaidate.arabic_digits(text).replace(",", "").replace(" ", "").strip()
    number = Decimal(value)
    if not number.is_finite():
        raise InvalidOperation
    return number


def clean_answers(
    questions: list[Question], raw: dict[str, Any]
) -> tuple[dict[int, Cleaned], dict[int, str]]:
    """Each question's answer checked on the server: a choice that exists, a number in range,
    text within its length, and an answer to every required question."""
    cleaned: dict[int, Cleaned] = {}
    errors: dict[int, str] = {}
    for q in questions:
        value = raw.get(str(q.pk))
        allowed = {n for n, _label in q.choices()}
        if q.kind == Question.Kind.MULTIPLE:
            picked = sorted({int(v) for v in value or [] if str(v).isdigit() and int(v) in allowed})
            if len(picked) != len(set(value or [])):
                errors[q.pk] = _("Choose from the list.")
            elif picked:
                cleaned[q.pk] = picked
        elif q.kind in (Question.Kind.LIKERT, Question.Kind.SINGLE):
            text = str(value or "").strip()
            if text:
                if text.isdigit() and int(text) in allowed:
                    cleaned[q.pk] = int(text)
                else:
                    errors[q.pk] = _("Choose from the list.")
        elif q.kind == Question.Kind.NUMBER:
            text = str(value or "").strip()
            if text:
                try:
                    number = parse_number(text)
                except (InvalidOperation, ValueError):
                    errors[q.pk] = _("Type a number, for example 12 or 3.5.")
                    continue
                if abs(number) > NUMBER_LIMIT:
                    errors[q.pk] = _("This number is too large.")
                elif q.number_min is not None and number < q.number_min:
                    errors[q.pk] = _("The smallest answer is %(n)s.") % {"n": q.number_min.normalize()}
                elif q.number_max is not None and number > q.number_max:
                    errors[q.pk] = _("The largest answer is %(n)s.") % {"n": q.number_max.normalize()}
                else:
                    cleaned[q.pk] = number.quantize(Decimal("0.01"))
        else:
            text = str(value or "").strip()
            limit = SHORT_TEXT_MAX if q.kind == Question.Kind.SHORT_TEXT else LONG_TEXT_MAX
            if len(text) > limit:
                errors[q.pk] = _("At most %(n)s characters.") % {"n": limit}
            elif text:
                cleaned[q.pk] = text
        if q.required and q.pk not in cleaned and q.pk not in errors:
            errors[q.pk] = _("This question needs an answer.")
    return cleaned, errors


@transaction.atomic
def save_draft(survey: Survey, person: Person, raw: dict[str, Any], *, late: bool = False) -> Draft:
    draft, _created = Draft.objects.get_or_create(survey=survey, person=person)
    draft.data = {**(draft.data or {}), **raw}
    draft.late = late or draft.late
    draft.save()
    return draft


def submit(survey: Survey, person: Person, raw: dict[str, Any], *, acting_user: Any) -> Response:
    """Send the answers: checked, one response per person. When the survey no longer takes
    answers they are kept as a draft and ``SurveyClosed`` says so."""
    fresh = Survey.objects.select_related("organisation").get(pk=survey.pk)
    today = timezone.localdate()
    if not fresh.accepting(today):
        save_draft(fresh, person, raw, late=fresh.state == Survey.State.CLOSED or fresh.closes_on < today)
        raise SurveyClosed(_("The survey closed before your answers arrived. They are kept, not counted; "
                             "if the organisers reopen it you can send them."))  # fmt: skip
    questions = list(fresh.questions.order_by("order", "pk"))
    cleaned, errors = clean_answers(questions, raw)
    if errors:
        raise InvalidAction(_("Some answers need attention."))
    try:
        with transaction.atomic():
            return _store(fresh, person, questions, cleaned, acting_user)
    except IntegrityError:
        raise InvalidAction(_("You have already answered this survey.")) from None


def _store(survey: Survey, person: Person, questions: list[Question], cleaned: dict[int, Cleaned],
           acting_user: Any) -> Response:  # fmt: skip
    invitation = Invitation.objects.filter(survey=survey, person=person).first()
    newcomer = invitation is None
    if invitation is None:
        org = access.respondent_orgs(survey, [person.pk]).get(person.pk)
        invitation = Invitation.objects.create(survey=survey, person=person, organisation_id=org)
    now = timezone.now()
    if not Invitation.objects.filter(pk=invitation.pk, answered=False).update(
        answered=True, answered_at=None if survey.anonymous else now
    ):
        raise InvalidAction(_("You have already answered this survey."))
    org_id = invitation.organisation_id
    response = Response.objects.create(survey=survey, organisation_id=org_id,
                                       person=None if survey.anonymous else person,
                                       submitted_at=None if survey.anonymous else now)  # fmt: skip
    rows = []
    for q in questions:
        value = cleaned.get(q.pk)
        if value is None:
            continue
        if isinstance(value, list):
            rows += [Answer(response=response, question=q, organisation_id=org_id, value=v) for v in value]
        elif isinstance(value, bool):  # pragma: no cover - not produced by clean_answers
            continue
        elif isinstance(value, int):
            rows.append(Answer(response=response, question=q, organisation_id=org_id, value=value))
        elif isinstance(value, Decimal):
            rows.append(Answer(response=response, question=q, organisation_id=org_id, number=value))
        else:
            rows.append(Answer(response=response, question=q, organisation_id=org_id, text=value))
    Answer.objects.bulk_create(rows)
    tally.add(tally.keys_of(rows, {q.pk for q in questions if q.kind == Question.Kind.MULTIPLE}))
    tally.add_answered(survey.pk, org_id, invited=1 if newcomer else 0)
    Draft.objects.filter(survey=survey, person=person).delete()
    if survey.anonymous:  # the survey only: no person, no address
        token = current_ip.set(None)
        try:
            record("survey.answer", obj=survey, organisation=survey.organisation)
        finally:
            current_ip.reset(token)
    else:
        record("survey.answer", actor=acting_user, obj=survey, organisation=survey.organisation,
               data={"response": response.pk})  # fmt: skip
    return response
