"""Search is a service apps register with (platu/search/registry.py): a registered model is
indexed, found, filtered by who may see it and removed on delete; a save writes the index once,
on commit; a bare state change writes nothing; the service imports no domain app."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from platu.knowledge import actions, workflow
from platu.orgs.models import Team
from platu.search import checks, pending, registry, service
from platu.search.apps import ensure_tables
from platu.search.backends import get_backend
from platu.search.registry import Hit, Related, SearchField
from platu.search.snippets import highlight
from tests.search.conftest import make_item

ROOT = Path(__file__).resolve().parents[2] / "platu" / "search"
DOMAIN_APPS = ("knowledge", "orgs", "planning", "accounts", "audit", "notify", "exports", "core")


class TeamIndex(registry.Index):
    """A model nobody registers: KM teams, by name and purpose."""

    model = Team
    key = "teams"
    label = "Teams"
    position = 90
    table_name = "search_test_team"
    fields = (SearchField("name", 10.0, "A"),)
    text_fields = frozenset({"name"})
    related = (
        Related(
            "orgs.Organisation",
            lambda org: Team.objects.filter(organisation=org).values_list("pk", flat=True),
            frozenset({"name_th"}),
        ),
    )

    def documents(self, pks: Sequence[int], *, raw: bool) -> list[tuple[int, list[str], str | None]]:
        return [
            (pk, [name], name if raw else None)
            for pk, name in Team.objects.filter(pk__in=pks).order_by("pk").values_list("pk", "name")
        ]

    def visible(self, user: Any, filters: dict[str, str]) -> QuerySet[Team]:
        from platu.orgs.access import visible_q

        return Team.objects.filter(visible_q(user, "organisation__path"))

    def hit(self, obj: Team, score: float, words: Sequence[str]) -> Hit:
        return Hit(obj, score, highlight(obj.name, words), "", "")


@pytest.fixture
def teams(db: None) -> Iterator[registry.Index]:
    index = registry.register(TeamIndex())
    pending.connect()
    ensure_tables()
    yield index
    registry.unregister("teams")
    pending.connect()


def _writes(ctx: CaptureQueriesContext, table: str) -> int:
    """Statements that wrote rows into the index table (executemany is logged as "N times: ...")."""
    import re

    statements = [re.sub(r"^\d+ times: ", "", q["sql"].lstrip()) for q in ctx.captured_queries]
    return sum(1 for sql in statements if re.match(rf"(INSERT INTO|COPY) {table}\b", sql, re.IGNORECASE))


def test_a_registered_model_is_indexed_found_filtered_and_removed(
    sw: SimpleNamespace, teams: registry.Index, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        team = Team.objects.create(organisation=sw.a, kind=Team.Kind.KM_TEAM, name="ทีมนักเล่าเรื่องสมุนไพร")
    assert team.pk in get_backend().ids(teams.table)
    found = service.search(teams, sw.member.user, "สมุนไพร")
    assert [h.obj.pk for h in found.hits] == [team.pk] and found.total == 1
    assert service.search(teams, sw.outsider.user, "สมุนไพร").hits == []  # another organisation
    assert service.count(teams, sw.outsider.user, "สมุนไพร") == 0
    with django_capture_on_commit_callbacks(execute=True):
        team.delete()
    assert team.pk not in get_backend().ids(teams.table)
    assert service.search(teams, sw.member.user, "สมุนไพร").hits == []


def test_the_search_page_gets_a_tab_for_it(sw: SimpleNamespace, teams: registry.Index) -> None:
    from tests.search.conftest import client_for

    Team.objects.create(organisation=sw.a, kind=Team.Kind.KM_TEAM, name="ทีมนักเล่าเรื่องสมุนไพร")
    html = client_for(sw.member).get("/search/", {"q": "สมุนไพร", "tab": "teams"}).content.decode()
    assert 'data-tab="teams"' in html and "ทีมนักเล่าเรื่อง<mark>สมุนไพร</mark>" in html


def test_an_item_save_writes_the_index_once_and_a_bare_submit_not_at_all(
    sw: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
        item = make_item(sw.owner, sw.a, title="ปลูกผักสวนครัว", tags="ผัก, สวน")
    assert _writes(ctx, "search_item") == 1  # the item, its tags and its revision: one write
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
        actions.update_item(
            item,
            acting_user=sw.owner.user,
            base_revision=item.revision_no,
            title="ปลูกผักสวนครัวรั้วกินได้",
            tags="ผัก",
        )
    assert _writes(ctx, "search_item") == 1
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
        workflow.submit(item, acting_user=sw.owner.user)
    assert _writes(ctx, "search_item") == 0  # the text did not change
    assert item.pk in {h.obj.pk for h in service.search(registry.get("items"), sw.owner.user, "รั้วกินได้").hits}


def test_renaming_an_organisation_reindexes_its_members_in_the_background_when_many(
    sw: SimpleNamespace, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PLATU_SEARCH_INLINE_MAX = 1  # more than one row: the background worker
    people = registry.get("people")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sw.a.name_th = "โรงเรียนบ้านดอกบัวแดง"
        sw.a.save()
    assert len(callbacks) >= 1
    # The immediate task backend of the tests ran the worker's job: the members are found.
    found = service.search(people, sw.member.user, "ดอกบัวแดง")
    assert {h.obj.pk for h in found.hits} >= {sw.owner.pk, sw.member.pk}


def test_a_badly_declared_index_is_reported_by_the_system_check(teams: registry.Index) -> None:
    class Bad(TeamIndex):
        key = "bad"
        table_name = "Search Bad"
        fields = (SearchField("parts", 0, "E"),)
        text_fields = frozenset({"nope"})
        related = (Related("orgs.Nothing", lambda x: []),)

    registry.register(Bad())
    try:
        messages = [m.msg for m in checks.check_indexes()]
    finally:
        registry.unregister("bad")
    text = " ".join(messages)
    for expected in ("table_name", "weight", "letter", "'nope'", "orgs.Nothing", "parts"):
        assert expected in text
    assert checks.check_indexes() == []


def test_reindex_one_or_all_and_refuse_the_unknown(sw: SimpleNamespace, capsys: Any) -> None:
    call_command("platu_reindex", "knowledge.item")
    out = capsys.readouterr().out
    assert "items" in out and "people" not in out
    call_command("platu_reindex")
    assert "people" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No search index"):
        call_command("platu_reindex", "orgs.nothing")


def test_the_search_service_imports_no_domain_app() -> None:
    offenders = []
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if any(name == f"platu.{app}" or name.startswith(f"platu.{app}.") for app in DOMAIN_APPS):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_knowledge_people_organisations_and_plans_register_through_their_own_search_py() -> None:
    owners = {i.key: type(i).__module__ for i in registry.indexes()}
    assert owners["items"] == "platu.knowledge.search"
    assert owners["people"] == owners["orgs"] == "platu.orgs.search"
    assert owners["plans"] == "platu.planning.search"
