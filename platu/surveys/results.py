"""A survey's results, aggregated in the database (never by reading the responses): one GROUP BY over the answer counts
(``Tally``: question, organisation, value, number, kept as responses arrive) gives every count
of every question for every organisation; overall counts, means, distributions and the table by
organisation are sums over those grouped rows (a few thousand), never a loop over responses.

Small groups are not shown: an anonymous survey's results need at least the organisation's
minimum number of answers (``SurveySettings.min_group``, 5 unless changed), and in the table by
organisation an organisation with fewer answers shows "fewer than N answers: not shown"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from platu.lib import thaidate
from platu.orgs.models import Organisation
from platu.surveys import charts, tally
from platu.surveys.models import (
    LIKERT,
    Answer,
    Question,
    Section,
    Survey,
    min_group_for,
)

TEXTS_PAGE = 50


@dataclass
class ChoiceRow:
    value: int
    label: str
    count: int
    percent: float
    text: dict[str, str] = field(default_factory=dict)  # the numbers as shown (the organisation's digits)


@dataclass
class QuestionResult:
    question: Question
    number: int
    answered: int = 0
    rows: list[ChoiceRow] = field(default_factory=list)
    mean: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    chart: SafeString | None = None
    texts: list[str] = field(default_factory=list)  # a text question's first answers (``with_texts``)
    text: dict[str, str] = field(default_factory=dict)


@dataclass
class SectionResult:
    section: Section
    questions: list[QuestionResult]
    mean: Decimal | None = None
    mean_text: str = ""


@dataclass
class OrgRow:
    organisation: Organisation
    responses: int
    invited: int
    shown: bool
    section_means: list[Decimal | None] = field(default_factory=list)
    question_means: list[Decimal | None] = field(default_factory=list)
    mean: Decimal | None = None
    text: dict[str, str] = field(default_factory=dict)
    section_texts: list[str] = field(default_factory=list)
    question_texts: list[str] = field(default_factory=list)


@dataclass
class Results:
    survey: Survey
    responses: int
    invited: int
    min_group: int
    shown: bool
    sections: list[SectionResult] = field(default_factory=list)
    likert: list[QuestionResult] = field(default_factory=list)
    likert_sections: list[Section] = field(default_factory=list)
    by_org: list[OrgRow] = field(default_factory=list)
    mean: Decimal | None = None
    text: dict[str, str] = field(default_factory=dict)

    @property
    def rate(self) -> Decimal | None:
        return _pct(self.responses, self.invited)


def _mean(total: int | Decimal, n: int) -> Decimal | None:
    return (Decimal(total) / n).quantize(Decimal("0.01")) if n else None


def _pct(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


def compute(survey: Survey, *, thai_digits: bool = False, with_texts: bool = True) -> Results:
    min_group = min_group_for(survey.organisation)
    sections = list(Section.objects.filter(survey=survey).order_by("order", "pk"))
    questions = list(Question.objects.filter(survey=survey).order_by("order", "pk"))
    # Who was asked and who answered, per organisation: the counts kept with the invitations and responses.
    per_org, invited_per_org = tally.turnout(survey.pk)
    total = sum(per_org.values())
    result = Results(survey, total, sum(invited_per_org.values()), min_group,
                     shown=not survey.anonymous or total >= min_group)  # fmt: skip
    if not result.shown:
        _texts(result, thai_digits)  # the counts of who answered still show
        return result
    multiple = {q.pk for q in questions if q.kind == Question.Kind.MULTIPLE}
    # counts[q][value or number] overall; org_sums[q][org] = [sum of scores, answers]
    counts: dict[int, dict[Any, int]] = defaultdict(lambda: defaultdict(int))
    org_sums: dict[int, dict[int | None, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    respondents: dict[int, int] = defaultdict(int)
    for qid, value, number, n in tally.overall([q.pk for q in questions]):
        if value is None and qid in multiple:
            respondents[qid] += n
        else:
            counts[qid][value if value is not None else number] += n
    for qid, org_id, score, n in tally.scores_by_org(
        [q.pk for q in questions if q.kind == Question.Kind.LIKERT]
    ):
        org_sums[qid][org_id] = [score, n]
    by_section: dict[int, list[QuestionResult]] = defaultdict(list)
    for position, q in enumerate(questions, start=1):
        qr = _question(q, position, counts.get(q.pk, {}), respondents.get(q.pk), thai_digits)
        if q.is_text and with_texts:
            qr.texts = first_texts(q)
        by_section[q.section_id].append(qr)
        if q.kind == Question.Kind.LIKERT:
            result.likert.append(qr)
    all_sum = all_n = 0
    for s in sections:
        qrs = by_section.get(s.pk, [])
        likert = [qr for qr in qrs if qr.question.kind == Question.Kind.LIKERT]
        s_sum = sum(r.value * r.count for qr in likert for r in qr.rows)
        s_n = sum(r.count for qr in likert for r in qr.rows)
        all_sum, all_n = all_sum + s_sum, all_n + s_n
        result.sections.append(SectionResult(s, qrs, _mean(s_sum, s_n)))
        if likert:
            result.likert_sections.append(s)
    result.mean = _mean(all_sum, all_n)
    result.by_org = _by_org(result, per_org, invited_per_org, org_sums, sections)
    _texts(result, thai_digits)
    return result


def _texts(r: Results, digits: bool) -> None:
    """Every number as the page shows it, written here once (not by a template tag per cell)."""

    def t(value: object, places: int | None = None) -> str:
        if value is None:
            return "–"
        text = (
            f"{value:,.{places}f}"
            if places is not None
            else (f"{value:,}" if isinstance(value, int) else str(value))
        )
        return thaidate.thai_digits(text) if digits else text

    r.text = {"responses": t(r.responses), "invited": t(r.invited), "rate": t(r.rate), "mean": t(r.mean),
              "min_group": t(r.min_group)}  # fmt: skip
    for sr in r.sections:
        sr.mean_text = t(sr.mean)
        for qr in sr.questions:
            qr.text = {"number": t(qr.number), "answered": t(qr.answered), "mean": t(qr.mean),
                       "minimum": t(qr.minimum.normalize() if qr.minimum is not None else None),
                       "maximum": t(qr.maximum.normalize() if qr.maximum is not None else None)}  # fmt: skip
            for row in qr.rows:
                row.text = {"value": t(row.value), "count": t(row.count), "percent": t(row.percent, 1)}
    for o in r.by_org:
        o.text = {"responses": t(o.responses), "invited": t(o.invited), "mean": t(o.mean)}
        o.section_texts = [t(m) for m in o.section_means]
        o.question_texts = [t(m) for m in o.question_means]


def first_texts(question: Question, limit: int = TEXTS_PAGE) -> list[str]:
    """A text question's first answers in the order of their text (never of their arrival)."""
    return list(
        Answer.objects.filter(question=question)
        .exclude(text="")
        .order_by("text")
        .values_list("text", flat=True)[:limit]
    )


def _question(q: Question, number: int, counts: dict[Any, int], respondents: int | None,
              thai_digits: bool) -> QuestionResult:  # fmt: skip
    qr = QuestionResult(q, number)
    if q.is_choice:
        answered = respondents if q.kind == Question.Kind.MULTIPLE else sum(counts.values())
        qr.answered = answered or 0
        for value, label in q.choices():
            n = counts.get(value, 0)
            qr.rows.append(ChoiceRow(value, label, n, float(_pct(n, qr.answered) or 0)))
        if q.kind == Question.Kind.LIKERT:
            qr.mean = _mean(sum(r.value * r.count for r in qr.rows), qr.answered)
        colours = [charts.LIKERT_COLOURS[v] for v, _l in LIKERT] if q.kind == Question.Kind.LIKERT else None
        qr.chart = charts.hbars(f"{number}. {q.text}", [(r.label, r.count, r.percent) for r in qr.rows],
                                colours=colours, thai_digits=thai_digits)  # fmt: skip
    elif q.kind == Question.Kind.NUMBER:
        values = sorted((Decimal(k), n) for k, n in counts.items() if k is not None)
        qr.answered = sum(n for _v, n in values)
        if values:
            qr.mean = _mean(sum(v * n for v, n in values), qr.answered)
            qr.minimum, qr.maximum = values[0][0], values[-1][0]
            qr.rows = _histogram(values, qr.answered)
            qr.chart = charts.hbars(f"{number}. {q.text}", [(r.label, r.count, r.percent) for r in qr.rows],
                                    thai_digits=thai_digits)  # fmt: skip
    else:
        qr.answered = sum(counts.values())
    return qr


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _histogram(values: list[tuple[Decimal, int]], answered: int, bins: int = 8) -> list[ChoiceRow]:
    """Each value when there are few, else equal ranges from the smallest to the largest."""
    if len(values) <= bins:
        return [ChoiceRow(i, _fmt(v), n, float(_pct(n, answered) or 0)) for i, (v, n) in enumerate(values)]
    low, high = values[0][0], values[-1][0]
    width = (high - low) / bins
    counts = [0] * bins
    for v, n in values:
        counts[min(bins - 1, int((v - low) / width))] += n
    out = []
    for i, n in enumerate(counts):
        a, b = low + width * i, low + width * (i + 1)
        label = f"{_fmt(a.quantize(Decimal('0.1')))}–{_fmt(b.quantize(Decimal('0.1')))}"
        out.append(ChoiceRow(i, label, n, float(_pct(n, answered) or 0)))
    return out


def _by_org(result: Results, per_org: dict[int | None, int], invited: dict[int | None, int],
            org_sums: dict[int, dict[int | None, list[int]]], sections: list[Section]) -> list[OrgRow]:  # fmt: skip
    """One row per organisation answering; those under the minimum show no numbers."""
    ids = {k for k in list(per_org) + list(invited) if k is not None}
    if len(ids) < 2 and result.survey.audience != Survey.Audience.SUBTREE:
        return []
    orgs = Organisation.objects.filter(pk__in=ids).order_by("name_sort")
    likert_by_section: dict[int, list[int]] = defaultdict(list)
    for qr in result.likert:
        likert_by_section[qr.question.section_id].append(qr.question.pk)
    out = []
    for org in orgs:
        n = per_org.get(org.pk, 0)
        row = OrgRow(org, n, invited.get(org.pk, 0), shown=n >= result.min_group)
        if row.shown:
            for qr in result.likert:
                s, c = org_sums[qr.question.pk].get(org.pk, [0, 0])
                row.question_means.append(_mean(s, c))
            t_sum = t_n = 0
            for section in result.likert_sections:
                cells = [org_sums[qid].get(org.pk, [0, 0]) for qid in likert_by_section[section.pk]]
                s_sum, s_n = sum(c[0] for c in cells), sum(c[1] for c in cells)
                t_sum, t_n = t_sum + s_sum, t_n + s_n
                row.section_means.append(_mean(s_sum, s_n))
            row.mean = _mean(t_sum, t_n)
        out.append(row)
    return out


def hidden_note(min_group: int) -> str:
    return _("fewer than %(n)s answers: not shown") % {"n": min_group}
