"""Import knowledge items from JSON Lines (one object per line):

    {"title": "...", "body": "text or HTML", "type": "story", "tags": ["..."], "summary": "...",
     "external_id": "..."}

The same `external_id` in the same organisation updates the item (a new revision when something
changed), never a duplicate. A bad line is reported with its number and skipped; the rest go in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from platu.audit.log import record
from platu.knowledge import actions, workflow
from platu.knowledge.models import Item
from platu.knowledge.sanitize import clean_html, text_to_html
from platu.lib.errors import ActionRefused, InvalidAction
from platu.orgs.models import Organisation

_HTML = re.compile(r"<(p|div|br|h[1-6]|ul|ol|li|table|strong|em|b|i|a|span|blockquote)\b", re.IGNORECASE)
KINDS = set(Item.Kind.values)


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.errors)} skipped"
        )


def _record(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValueError('"title" is missing or empty')
    body = data.get("body", "")
    if not isinstance(body, str):
        raise ValueError('"body" must be text')
    kind = data.get("type") or "article"
    if kind not in KINDS:
        raise ValueError(f'"type" must be one of {", ".join(sorted(KINDS))}')
    tags = data.get("tags") or []
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError('"tags" must be a list of text')
    summary = data.get("summary") or ""
    external_id = data.get("external_id") or ""
    if not isinstance(summary, str) or not isinstance(external_id, (str, int)):
        raise ValueError('"summary" and "external_id" must be text')
    external_id = str(external_id).strip()
    if len(external_id) > 200:
        raise ValueError('"external_id" may have at most 200 characters')
    html = body if _HTML.search(body) else text_to_html(body)
    return {
        "title": title.strip(),
        "body": html,
        "kind": kind,
        "tags": actions.parse_tags(tags),
        "summary": summary.strip(),
        "external_id": external_id,
    }


def import_lines(
    lines: Iterable[str],
    org: Organisation,
    *,
    acting_user: Any,
    publish: bool = False,
    visibility: str = "organisation",
) -> Report:
    report = Report()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = _record(json.loads(line))
        except json.JSONDecodeError as exc:
            report.errors.append((number, f"not valid JSON ({exc.msg}, column {exc.colno})"))
            continue
        except (ValueError, InvalidAction) as exc:
            message = exc.message if isinstance(exc, InvalidAction) else str(exc)
            report.errors.append((number, message))
            continue
        try:
            with transaction.atomic():
                outcome = _upsert(data, org, acting_user=acting_user, publish=publish, visibility=visibility)
        except (InvalidAction, ActionRefused) as exc:
            report.errors.append((number, str(getattr(exc, "message", exc))))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    record("knowledge.import", actor=acting_user, obj=org, organisation=org,
           data={"created": report.created, "updated": report.updated, "skipped": len(report.errors)})  # fmt: skip
    return report


def _upsert(
    data: dict[str, Any], org: Organisation, *, acting_user: Any, publish: bool, visibility: str
) -> str:
    external_id = data.pop("external_id")
    tags = data.pop("tags")
    existing = (
        Item.objects.select_for_update(of=("self",)).filter(organisation=org, external_id=external_id).first()
        if external_id
        else None
    )
    if existing is None:
        item = actions.create_item(
            org, acting_user=acting_user, tags=tags, visibility=visibility, message="import", **data
        )
        if external_id:
            Item.objects.filter(pk=item.pk).update(external_id=external_id)
        if publish:
            workflow.publish_imported(item, acting_user=acting_user)
        return "created"
    current_tags = sorted(t.name for t in existing.tags.all())
    clean_body = clean_html(data["body"])
    same = (
        existing.title == data["title"]
        and existing.summary == data["summary"]
        and existing.kind == data["kind"]
        and existing.body == clean_body
        and current_tags == sorted(tags)
        and existing.visibility == visibility
    )
    if same:
        if publish:
            workflow.publish_imported(existing, acting_user=acting_user)
        return "unchanged"
    was_published = existing.state in (Item.State.PUBLISHED, Item.State.STALE)
    item = actions.update_item(
        existing,
        acting_user=acting_user,
        base_revision=None,
        message="import",
        tags=tags,
        visibility=visibility,
        **data,
    )
    if publish or was_published:
        workflow.publish_imported(item, acting_user=acting_user)
    return "updated"
