"""The answer counts (``Tally``): added to in the transaction that stores a response, read by the
results page, and rebuilt or checked from the answers themselves with one GROUP BY."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum

from platu.surveys.models import Answer, Invitation, Question, Tally, Turnout

Key = tuple[int, int, int, Decimal]  # question, organisation (0: none), value (0: none), number
Row = tuple[int, int | None, int | None, Decimal | None, int]  # question, organisation, value, number, count

ZERO = Decimal("0.00")


def keys_of(answers: Iterable[Answer], multiple: set[int]) -> Counter[Key]:
    """The counts one response adds: one per answer row, and one "respondent" per several-choices
    question answered."""
    counts: Counter[Key] = Counter()
    respondents: set[tuple[int, int]] = set()
    for a in answers:
        org = a.organisation_id or 0
        counts[(a.question_id, org, a.value or 0, a.number if a.number is not None else ZERO)] += 1
        if a.question_id in multiple:
            respondents.add((a.question_id, org))
    for qid, org in respondents:
        counts[(qid, org, 0, ZERO)] += 1
    return counts


def add(counts: Counter[Key]) -> None:
    """Add to the counts: one upsert, its rows in a fixed order (no deadlock between two answers)."""
    if not counts:
        return
    table = Tally._meta.db_table
    rows = sorted(counts.items())
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    params: list[Any] = []
    for (qid, org, value, number), n in rows:
        params += [qid, org, value, number, n]
    sql = (
        f"INSERT INTO {table} (question_id, organisation_id, value, number, n) VALUES {values} "
        f"ON CONFLICT (question_id, organisation_id, value, number) DO UPDATE SET n = {table}.n + excluded.n"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def read(question_ids: list[int]) -> list[Row]:
    """(question, organisation, value, number, count) for every answer group, from the counts."""
    if not question_ids:
        return []
    rows = (
        Tally.objects.filter(question_id__in=question_ids, n__gt=0)
        .values_list("question_id", "organisation_id", "value", "number")
        .annotate(total=Sum("n"))
        .order_by()
    )
    return [(q, org or None, value or None, number, n) for q, org, value, number, n in rows]


def overall(question_ids: list[int]) -> list[tuple[int, int | None, Decimal | None, int]]:
    """(question, value, number, count) summed over the organisations."""
    if not question_ids:
        return []
    rows = (
        Tally.objects.filter(question_id__in=question_ids, n__gt=0)
        .values_list("question_id", "value", "number")
        .annotate(total=Sum("n"))
        .order_by()
    )
    return [(q, value or None, number, n) for q, value, number, n in rows]


def scores_by_org(question_ids: list[int]) -> list[tuple[int, int | None, int, int]]:
    """(question, organisation, sum of the scores, answers) of rating questions."""
    if not question_ids:
        return []
    rows = (
        Tally.objects.filter(question_id__in=question_ids, value__gt=0, n__gt=0)
        .values_list("question_id", "organisation_id")
        .annotate(score=Sum(F("value") * F("n")), total=Sum("n"))
        .order_by()
    )
    return [(q, org or None, score, n) for q, org, score, n in rows]


def from_answers(question_ids: list[int]) -> list[Row]:
    """The same groups counted from the answers themselves (one GROUP BY on the covering index
    ``survey_answer_tally``), with the respondents of several-choices questions."""
    if not question_ids:
        return []
    rows = list(
        Answer.objects.filter(question_id__in=question_ids)
        .values_list("question_id", "organisation_id", "value", "number")
        .annotate(total=Count("*"))
        .order_by()
    )
    out: Counter[tuple[int, int | None, int | None, Decimal | None]] = Counter()
    for q, org, value, number, n in rows:
        out[(q, org or None, value or None, None if number is None or value else number)] += n
    multiple = list(
        Question.objects.filter(pk__in=question_ids, kind=Question.Kind.MULTIPLE).values_list("pk", flat=True)
    )
    if multiple:
        for q, org, n in (Answer.objects.filter(question_id__in=multiple).values_list("question_id", "organisation_id")
                          .annotate(total=Count("response_id", distinct=True)).order_by()):  # fmt: skip
            out[(q, org or None, None, None)] += n
    return [(q, org, value, number, n) for (q, org, value, number), n in out.items()]


def normalised(rows: list[Row]) -> dict[tuple[int, int | None, int | None, Decimal | None], int]:
    """Rows of ``read`` or ``from_answers`` in one shape, to compare them."""
    out: Counter[tuple[int, int | None, int | None, Decimal | None]] = Counter()
    for q, org, value, number, n in rows:
        num = None if value else (Decimal(number).quantize(ZERO) if number is not None else ZERO)
        out[(q, org, value, num)] += n
    return dict(out)


def add_answered(survey_id: int, organisation_id: int | None, *, invited: int = 0) -> None:
    """One more response (and, for someone invited as they answered, one more invitation)."""
    table = Turnout._meta.db_table
    sql = (
        f"INSERT INTO {table} (survey_id, organisation_id, invited, answered) VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT (survey_id, organisation_id) DO UPDATE SET answered = {table}.answered + 1, "
        f"invited = {table}.invited + excluded.invited"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [survey_id, organisation_id or 0, invited])


@transaction.atomic
def recount_turnout(survey_id: int) -> None:
    """Count again who was asked and who answered, from the invitations (after inviting people)."""
    rows = (
        Invitation.objects.filter(survey_id=survey_id)
        .values_list("organisation_id")
        .annotate(n=Count("*"), a=Count("answered", filter=Q(answered=True)))
        .order_by()
    )
    counts: Counter[tuple[int, str]] = Counter()
    for org, invited, answered in rows:
        counts[(org or 0, "i")] += invited
        counts[(org or 0, "a")] += answered
    Turnout.objects.filter(survey_id=survey_id).delete()
    Turnout.objects.bulk_create(
        Turnout(
            survey_id=survey_id, organisation_id=org, invited=counts[(org, "i")], answered=counts[(org, "a")]
        )
        for org in sorted({org for org, _k in counts})
    )


def turnout(survey_id: int) -> tuple[dict[int | None, int], dict[int | None, int]]:
    """(answered, invited) per organisation (None: none)."""
    answered: dict[int | None, int] = {}
    invited: dict[int | None, int] = {}
    for org, i, a in Turnout.objects.filter(survey_id=survey_id).values_list(
        "organisation_id", "invited", "answered"
    ):
        invited[org or None], answered[org or None] = i, a
    return answered, invited


@transaction.atomic
def rebuild(question_ids: list[int]) -> int:
    """Count again from the answers (after a bulk load; never needed for answers sent through Platu)."""
    Tally.objects.filter(question_id__in=question_ids).delete()
    rows = normalised(from_answers(question_ids))
    Tally.objects.bulk_create(
        (Tally(question_id=q, organisation_id=org or 0, value=value or 0, number=number or ZERO, n=n)
         for (q, org, value, number), n in rows.items()),
        batch_size=2000,
    )  # fmt: skip
    return len(rows)
