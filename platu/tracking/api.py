"""/api/v1/rounds/...: the monitoring rounds (6, 9, 12 months) of a fiscal year's plan and their
entries' progress, through the same access helpers as the rounds' pages (404 otherwise)."""

from __future__ import annotations

import datetime as dt
import importlib
import uuid
from typing import Any

from django.db.models import Avg, Count, Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Router, Schema, Status
from ninja.files import UploadedFile

from platu.api import base_revision, clean, ident, require_write, responses
from platu.lib.errors import ActionRefused, InvalidAction
from platu.lib.ids import MAX_ID
from platu.planning import access as plan_access
from platu.tracking import access, actions
from platu.tracking.models import Binding, Entry, Evidence, Round

# The entry's form (the same validation as the page), through importlib: mypy's strict check of
# this module leaves the forms' modules out.
EntryForm: Any = importlib.import_module("platu.tracking.forms").EntryForm

router = Router(tags=["monitoring rounds"])


class RoundOut(Schema):
    id: int
    organisation: str
    fiscal_year: int
    plan_revision: int
    months: int
    period_start: dt.date
    period_end: dt.date
    due_date: dt.date
    state: str
    closed_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    entries: int
    done: int
    late: int
    average_percent: float | None
    url: str


class EntryOut(Schema):
    id: int
    activity: int
    activity_name: str
    status: str
    percent: int
    result_number: float | None
    result_unit: str
    result_text: str
    problems: str
    solutions: str
    next_steps: str
    checked: bool
    version: int


class EntryIn(Schema):
    """What the entry's form takes; what is left out keeps its value. `version` (or If-Match) is
    the version read: a save over someone else's newer one answers 409."""

    status: str | None = None
    percent: int | None = None
    result_number: str | None = None
    result_unit: str | None = None
    result_text: str | None = None
    problems: str | None = None
    solutions: str | None = None
    next_steps: str | None = None
    override_value: str | None = None
    override_reason: str | None = None
    reason: str = ""  # a correction after the round closed says why
    version: int | None = None


class RoundDetail(RoundOut):
    entry_list: list[EntryOut]


def _year(year: int) -> int:
    if not 2400 <= year <= 2800:
        raise Http404
    return year


def _round(row: Round, n: int, done: int, late: int, avg: float | None) -> dict[str, object]:
    return {
        "id": row.pk,
        "organisation": row.plan.organisation.code,
        "fiscal_year": row.plan.fiscal_year,
        "plan_revision": row.plan.revision,
        "months": row.months,
        "period_start": row.period_start,
        "period_end": row.period_end,
        "due_date": row.due_date,
        "state": row.state,
        "closed_at": row.closed_at,
        "acknowledged_at": row.acknowledged_at,
        "entries": n,
        "done": done,
        "late": late,
        "average_percent": round(float(avg), 1) if avg is not None else None,
        "url": row.get_absolute_url(),
    }


@router.get("/{code}/{year}", response=responses(list[RoundOut]), summary="A fiscal year's monitoring rounds")
def round_list(request: HttpRequest, code: str, year: int) -> list[RoundOut]:
    plan = plan_access.get_plan_for_user(request, clean(code, 100), _year(year))
    rows = (
        Round.objects.filter(plan__organisation=plan.organisation, plan__fiscal_year=plan.fiscal_year)
        .annotate(
            n=Count("entries"),
            avg=Avg("entries__percent"),
            done=Count("entries", filter=Q(entries__status=Entry.Status.DONE)),
            late=Count("entries", filter=Q(entries__status=Entry.Status.LATE)),
        )
        .select_related("plan__organisation")
        .order_by("months", "pk")
    )
    return [RoundOut(**_round(r, r.n, r.done, r.late, r.avg)) for r in rows]  # type: ignore[attr-defined,arg-type]


@router.get(
    "/{code}/{year}/{months}",
    response=responses(RoundDetail),
    summary="One round (months: 6, 9 or 12) with its entries' progress",
)
def round_detail(request: HttpRequest, code: str, year: int, months: int) -> RoundDetail:
    if months not in Round.Months.values:
        raise Http404
    row = access.get_round_for_user(request, clean(code, 100), _year(year), months)
    entries = list(Entry.objects.filter(round=row).select_related("activity").order_by("activity_id", "pk"))
    n = len(entries)
    avg = sum(e.percent for e in entries) / n if n else None
    done = sum(e.status == Entry.Status.DONE for e in entries)
    late = sum(e.status == Entry.Status.LATE for e in entries)
    return RoundDetail(
        **_round(row, n, done, late, avg),  # type: ignore[arg-type]
        entry_list=[_entry(e) for e in entries],
    )


def _entry(e: Entry) -> EntryOut:
    return EntryOut(
        id=e.pk,
        activity=e.activity_id,
        activity_name=str(getattr(e.activity, "name", "") or e.activity),
        status=e.status,
        percent=e.percent,
        result_number=float(e.result_number) if e.result_number is not None else None,
        result_unit=e.result_unit,
        result_text=e.result_text,
        problems=e.problems,
        solutions=e.solutions,
        next_steps=e.next_steps,
        checked=bool(e.checked_at),
        version=e.version,
    )


@router.put(
    "/{code}/{year}/{months}/entries/{pk}",
    response=responses(EntryOut),
    summary="Enter an activity's progress in a round (If-Match or version; 409 when someone saved since)",
)
def entry_save(
    request: HttpRequest,
    code: str,
    year: int,
    months: int,
    pk: int,
    payload: EntryIn,
    if_match: str | None = Header(  # type: ignore[type-arg]
        None, alias="If-Match", description='The version of the entry read: "3"'
    ),
) -> EntryOut:
    require_write(request)
    if months not in Round.Months.values:
        raise Http404
    entry = access.get_entry_for_user(request, clean(code, 100), _year(year), months, ident(pk))
    base = base_revision(request, payload.version)
    if not access.can_enter(request.user, entry):
        raise ActionRefused(_("Only the activity's responsible people and the KM team enter its progress."))
    data: dict[str, Any] = {name: getattr(entry, name) for name in Entry.TEXT_FIELDS}
    for name, value in payload.model_dump(exclude_unset=True, exclude={"version"}).items():
        data[name] = "" if value is None else clean(str(value), 20_000)
    data = {k: "" if v is None else v for k, v in data.items()} | {"version": base}
    bound = Binding.objects.filter(activity_id=entry.activity_id).exists()
    form = EntryForm(data, closed=not entry.round.is_open, bound_indicator=bound)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise InvalidAction(str(errors[0]), field=None if field == "__all__" else field)
    clean_data = form.cleaned_data
    saved = actions.save_entry(
        entry, clean_data, acting_user=request.user, base_version=base, reason=clean_data.get("reason", "")
    )
    return _entry(Entry.objects.select_related("activity").get(pk=saved.pk))


class EvidenceOut(Schema):
    uid: uuid.UUID
    kind: str  # file, item, session, link
    name: str
    note: str
    item: int | None
    session: int | None
    url: str
    size: int
    content_type: str
    added_at: dt.datetime


class EvidenceIn(Schema):
    """One of: a knowledge item the caller may read, a community session they may see, or an
    address (https://…)."""

    item: int | None = None
    session: int | None = None
    url: str = ""
    note: str = ""


def _evidence(row: Evidence) -> EvidenceOut:
    return EvidenceOut(
        uid=row.uid, kind=row.kind, name=row.name, note=row.note, item=row.item_id, session=row.session_id,
        url=row.url, size=row.size, content_type=row.content_type, added_at=row.added_at,
    )  # fmt: skip


def _entry_for(request: HttpRequest, code: str, year: int, months: int, pk: int) -> Entry:
    if months not in Round.Months.values:
        raise Http404
    return access.get_entry_for_user(request, clean(code, 100), _year(year), months, ident(pk))


EVIDENCE = "/{code}/{year}/{months}/entries/{pk}/evidence"


@router.get(EVIDENCE, response=responses(list[EvidenceOut]), summary="An entry's evidence")
def evidence_list(request: HttpRequest, code: str, year: int, months: int, pk: int) -> list[EvidenceOut]:
    entry = _entry_for(request, code, year, months, pk)
    return [_evidence(e) for e in entry.evidence.all()[:500]]


@router.post(
    EVIDENCE,
    response=responses(EvidenceOut, 201),
    summary="Add evidence to an entry: a knowledge item, a community session or a link (open rounds)",
)
def evidence_add(
    request: HttpRequest, code: str, year: int, months: int, pk: int, payload: EvidenceIn
) -> Status[EvidenceOut]:
    from platu.communities.models import Session
    from platu.knowledge.models import Item

    require_write(request)
    entry = _entry_for(request, code, year, months, pk)
    note = clean(payload.note, 300)
    if payload.item is not None:
        item = Item.objects.filter(pk=payload.item).first() if 0 < payload.item <= MAX_ID else None
        if item is None:
            raise InvalidAction(_("Choose a knowledge item you may read."), field="item")
        row = actions.add_evidence_link(entry, acting_user=request.user, item=item, note=note)
    elif payload.session is not None:
        found = Session.objects.filter(pk=payload.session).first() if 0 < payload.session <= MAX_ID else None
        if found is None:
            raise InvalidAction(_("Choose a session you may see."), field="session")
        row = actions.add_evidence_link(entry, acting_user=request.user, session=found, note=note)
    else:
        row = actions.add_evidence_link(
            entry, acting_user=request.user, url=clean(payload.url, 600), note=note
        )
    return Status(201, _evidence(row))


@router.post(
    EVIDENCE + "/files",
    response=responses(EvidenceOut, 201),
    summary="Upload a file as evidence (multipart: file, note)",
)
def evidence_upload(
    request: HttpRequest,
    code: str,
    year: int,
    months: int,
    pk: int,
    file: File[UploadedFile],
    note: Form[str] = "",  # type: ignore[type-arg]
) -> Status[EvidenceOut]:
    require_write(request)
    entry = _entry_for(request, code, year, months, pk)
    row = actions.add_evidence_file(entry, file, clean(note, 300), acting_user=request.user)
    return Status(201, _evidence(row))


@router.delete(EVIDENCE + "/{uid}", response=responses(None, 204), summary="Remove evidence (open rounds)")
def evidence_remove(
    request: HttpRequest, code: str, year: int, months: int, pk: int, uid: uuid.UUID
) -> Status[None]:
    require_write(request)
    entry = _entry_for(request, code, year, months, pk)
    row = Evidence.objects.filter(entry=entry, uid=uid).first()
    if row is None:
        raise Http404
    actions.remove_evidence(row, acting_user=request.user)
    return Status(204, None)
