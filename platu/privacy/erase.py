"""Erasing a person (PDPA section 33): their account stays as an inactive, pseudonymised row so
that what they wrote keeps its author; every declared row is deleted, cleared or pseudonymised
(`registry.py`), and every copy of their names, user name and e-mail left in any table is
replaced by "อดีตบุคลากร #<number>". Runs inside the caller's transaction."""

from __future__ import annotations

import contextlib
from typing import Any

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models, transaction

from platu.privacy import engine, registry
from platu.privacy.engine import Subject

PSEUDONYM = "อดีตบุคลากร"


def pseudonym_of(user: Any) -> str:
    return f"{PSEUDONYM} #{user.pk}"


def _end_sessions(user: Any) -> None:
    for session in Session.objects.all().iterator():
        if str(session.get_decoded().get("_auth_user_id", "")) == str(user.pk):
            session.delete()


def _reindex(changed: dict[type[models.Model], set[Any]]) -> None:
    """Re-index what changed through the search service's public API (deleted rows drop out)."""
    try:
        from platu.search import pending
        from platu.search import registry as search_registry
    except ImportError:  # pragma: no cover - search is part of every installation
        return
    for model, pks in changed.items():
        index = search_registry.for_model(model)
        if index is not None:
            pending.note(index.key, pks)
    pending.flush()


def erase(user: Any) -> str:
    """Erase ``user``; returns their pseudonym. The caller holds the transaction."""
    subject = Subject.of(user)
    pseudonym = pseudonym_of(user)
    person = subject.person
    changed: dict[type[models.Model], set[Any]] = {}

    # 1. What the declarations say: delete, clear, or pseudonymise their own rows (single names too).
    for item in registry.declarations():
        model = item.get_model()
        if model is apps.get_model("orgs", "Person") or model._meta.label_lower == user._meta.label_lower:
            continue
        if item.erase_hook is not None:
            item.erase_hook(subject)
        rows = engine.rows(item, subject, item.erase_links)
        if item.erase == registry.DELETE:
            pks = set(rows.values_list("pk", flat=True))
            if pks:
                models.QuerySet(model=model).filter(pk__in=pks).delete()
                changed.setdefault(model, set()).update(pks)
        elif (item.erase == registry.CLEAR and item.fields) or item.clear:
            values: dict[str, Any] = {}
            for name in (*(item.fields if item.erase == registry.CLEAR else ()), *item.clear):
                f = model._meta.get_field(name)
                assert isinstance(f, models.Field)
                values[f.attname] = None if f.null else ({} if isinstance(f, models.JSONField) else "")
            pks = set(rows.values_list("pk", flat=True))
            models.QuerySet(model=model).filter(pk__in=pks).update(**values)
            changed.setdefault(model, set()).update(pks)
        for model_, pks in engine.scrub(
            subject, pseudonym, models_list=[model], own=True, base=engine.rows(item, subject)
        ).items():
            changed.setdefault(model_, set()).update(pks)

    _end_sessions(user)
    from platu.privacy import export
    from platu.privacy.models import DataExport

    for path in DataExport.objects.filter(user=user).values_list("path", flat=True):
        export.remove(path)
    DataExport.objects.filter(user=user).delete()

    # 2. The account and the person.
    user.username = f"erased-{user.pk}"
    user.email = ""
    user.first_name = user.last_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    if person is not None:
        person.title = ""
        person.first_name, person.last_name = PSEUDONYM, f"#{user.pk}"
        person.position = person.phone = person.email = person.expertise = ""
        # A new version: documents rendered with the old names have another cache key.
        person.version = (person.version or 0) + 1
        person.save()

    # 3. Copies of their names anywhere else (others' text, audit rows, notifications, mentions).
    people = (apps.get_model("orgs", "Person"), type(user))  # other people's own names stay theirs
    others = [m for m in apps.get_models(include_auto_created=True) if m not in people]
    for model_, pks in engine.scrub(subject, pseudonym, models_list=others).items():
        changed.setdefault(model_, set()).update(pks)
    _reindex(changed)
    _drop_rendered_documents()
    return pseudonym


def _drop_rendered_documents() -> None:
    """Rendered documents (plan booklets, reports, records) are caches that may print the name:
    all are dropped, with their files once committed, and rendered again when next asked for.
    (Django's cache is left alone: it holds log-in throttling and API rate limits, no names.)"""
    from platu.exports.models import Export

    rows = list(Export.objects.exclude(file="").values_list("file", flat=True))
    Export.objects.all().delete()

    def _remove_files() -> None:
        storage = Export._meta.get_field("file").storage  # type: ignore[attr-defined]
        for name in rows:
            with contextlib.suppress(OSError):  # already gone: nothing to remove
                storage.delete(name)

    transaction.on_commit(_remove_files)
