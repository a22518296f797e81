"""Reading and erasing what every declared model holds about one person (`registry.py`).

`rows()` finds a person's rows through each declaration's links; `scrub()` replaces every copy of
the person's names, user name and e-mail left in any text or JSON column of any table by their
pseudonym, so free text written by others (a revision's author name, an audit row, a
notification, an @mention) no longer names them."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from platu.privacy import registry
from platu.privacy.registry import PersonalData


@dataclass
class Subject:
    """The person: their account, their `orgs.Person` (if any), and the words that name them."""

    user: Any
    person: Any = None
    names: list[str] = field(default_factory=list)  # full names: replaced in every table
    own_names: list[str] = field(default_factory=list)  # single names: only in their own rows
    emails: list[str] = field(default_factory=list)
    username: str = ""

    @classmethod
    def of(cls, user: Any) -> Subject:
        person = apps.get_model("orgs", "Person").objects.filter(user=user).first()
        subject = cls(user=user, person=person, username=user.get_username())
        full: set[str] = set()
        single: set[str] = set()
        pairs = [(user.first_name, user.last_name, "")]
        if person is not None:
            pairs.append((person.first_name, person.last_name, person.title))
        for first, last, title in pairs:
            first, last = (first or "").strip(), (last or "").strip()
            if first and last:
                full |= {f"{first} {last}", f"{first}  {last}", f"{first}{last}"}
                if title:
                    full |= {f"{title}{first} {last}", f"{title} {first} {last}"}
            if last:
                # Only in their own rows: a spouse or a child in the same school has the same family
                # name, and a short one could be part of other words.
                single.add(last)
            if first:
                single.add(first)
        emails = {user.email, getattr(person, "email", "")}
        emails |= set(
            apps.get_model("account", "EmailAddress")
            .objects.filter(user=user)
            .values_list("email", flat=True)
        )
        subject.names = sorted((n for n in full if len(n) >= 2), key=len, reverse=True)
        subject.own_names = sorted((n for n in single if len(n) >= 2), key=len, reverse=True)
        subject.emails = sorted((e for e in emails if e), key=len, reverse=True)
        return subject

    def link_value(self, model: type[models.Model], link: str) -> Any:
        target = registry.link_target(model, link)
        if target is apps.get_model(settings.AUTH_USER_MODEL):
            return self.user.pk
        return self.person.pk if self.person is not None else None


def rows(item: PersonalData, subject: Subject, links: Sequence[str] | None = None) -> models.QuerySet[Any]:
    """The rows of a declared model tied to the person (through any of its links, or ``links``)."""
    model = item.get_model()
    query = Q(pk__in=[])
    for link in item.links if links is None else links:
        value = subject.link_value(model, link)
        if value is not None:
            query |= Q(**{link if link != "pk" else "pk": value})
    # The plain queryset: the audit log's manager refuses update() and delete().
    return models.QuerySet(model=model).filter(query).distinct()


def text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]


def json_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]


def _pattern(subject: Subject, own: bool) -> re.Pattern[str] | None:
    words = [re.escape(n) for n in subject.names]
    words += [re.escape(e) for e in subject.emails]
    if own:
        words += [re.escape(n) for n in subject.own_names]
    parts = [f"(?:{'|'.join(words)})"] if words else []
    if subject.username and len(subject.username) >= 3:
        parts.append(rf"(?<![\w.@-])@?{re.escape(subject.username)}(?![\w@-])")
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)


def _needles(subject: Subject, own: bool) -> list[str]:
    out = subject.names + subject.emails + ([subject.username] if len(subject.username) >= 3 else [])
    return out + (subject.own_names if own else [])


def _deep(value: Any, pattern: re.Pattern[str], pseudonym: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(pseudonym, value)
    if isinstance(value, list):
        return [_deep(v, pattern, pseudonym) for v in value]
    if isinstance(value, dict):
        return {_deep(k, pattern, pseudonym): _deep(v, pattern, pseudonym) for k, v in value.items()}
    return value


def scrub(
    subject: Subject,
    pseudonym: str,
    *,
    models_list: Iterable[type[models.Model]] | None = None,
    own: bool = False,
    base: models.QuerySet[Any] | None = None,
) -> dict[type[models.Model], set[Any]]:
    """Replace the person's names, e-mails and user name by ``pseudonym`` in every text and JSON
    column (of ``base`` only when given, with their single names too when ``own``). Returns the
    changed primary keys per model."""
    pattern = _pattern(subject, own)
    needles = _needles(subject, own)
    changed: dict[type[models.Model], set[Any]] = {}
    if pattern is None:
        return changed
    targets = list(models_list) if models_list is not None else apps.get_models(include_auto_created=True)
    for model in targets:
        if model._meta.proxy or not model._meta.managed:
            continue
        qs = base if base is not None else models.QuerySet(model=model)
        for f in text_fields(model):
            query = Q()
            for needle in needles:
                query |= Q(**{f"{f.attname}__icontains": needle})
            for pk, value in qs.filter(query).values_list("pk", f.attname):
                new = pattern.sub(pseudonym, value or "")
                if f.max_length:
                    new = new[: f.max_length]
                if new != value:
                    models.QuerySet(model=model).filter(pk=pk).update(**{f.attname: new})
                    changed.setdefault(model, set()).add(pk)
        for f in json_fields(model):
            query = Q()
            as_text = Cast(f.attname, TextField())
            for needle in needles:
                escaped = json.dumps(needle)[1:-1]
                query |= Q(_t__icontains=needle) | Q(_t__icontains=escaped)
            for pk, value in qs.annotate(_t=as_text).filter(query).values_list("pk", f.attname):
                if isinstance(value, str):  # a JSON field read back as text (no decoder)
                    with contextlib.suppress(ValueError):
                        value = json.loads(value)
                new_value = _deep(value, pattern, pseudonym)
                if new_value != value:
                    models.QuerySet(model=model).filter(pk=pk).update(**{f.attname: new_value})
                    changed.setdefault(model, set()).add(pk)
    return changed


def export_rows(item: PersonalData, subject: Subject) -> Iterator[dict[str, Any]]:
    model = item.get_model()
    names = [
        f for f in model._meta.concrete_fields if f.name not in item.exclude and f.attname not in item.exclude
    ]
    for obj in rows(item, subject).order_by("pk"):
        out: dict[str, Any] = {}
        for f in names:
            value = getattr(obj, f.attname)
            if isinstance(f, models.FileField):
                value = value.name if value else ""
            out[f.attname] = value
        yield out
