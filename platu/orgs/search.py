"""People and organisations in search (registered with the search service,
`platu/search/registry.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from platu.orgs.models import Membership, Organisation, Person
from platu.search import registry
from platu.search.registry import Hit, Related, SearchField
from platu.search.snippets import highlight


def _members(org: Organisation) -> Any:
    return Membership.objects.filter(organisation=org).values_list("person_id", flat=True)


class PersonIndex(registry.Index):
    model = Person
    key = "people"
    label = gettext_lazy("People and experts")
    position = 20
    table_name = "search_person"
    fields = (
        SearchField("name", 10.0, "A"),
        SearchField("position", 3.0, "C"),  # and the organisations' names
        SearchField("expertise", 5.0, "B"),
    )
    text_fields = frozenset({"title", "first_name", "last_name", "position", "expertise"})
    related = (
        Related("orgs.Membership", lambda m: [m.person_id]),
        # Renaming an organisation changes its members' documents (in the background when many).
        Related("orgs.Organisation", _members, frozenset({"name_th"})),
    )
    template = "orgs/search_person_hit.html"
    empty_text = gettext_lazy("Nobody's name, position or organisation matches.")
    results_heading = gettext_lazy("People by name, position or organisation")
    order = ("sort_key", "pk")
    suggests = True

    def documents(self, pks: Sequence[int], *, raw: bool) -> list[tuple[int, list[str], str | None]]:
        orgs: dict[int, list[str]] = {}
        for person_id, name in (
            Membership.objects.filter(person_id__in=pks)
            .order_by("pk")
            .values_list("person_id", "organisation__name_th")
        ):
            orgs.setdefault(person_id, []).append(name)
        out: list[tuple[int, list[str], str | None]] = []
        for pk, title, first, last, position, expertise in (
            Person.objects.filter(pk__in=pks)
            .order_by("pk")
            .values_list("pk", "title", "first_name", "last_name", "position", "expertise")
        ):
            name = f"{title} {first} {last}"
            text = f"{name}\n{position}" if raw else None
            out.append((pk, [name, f"{position}\n{' '.join(orgs.get(pk, ()))}", expertise], text))
        return out

    def visible(self, user: Any, filters: dict[str, str]) -> QuerySet[Person]:
        return Person.objects.for_user(user)

    def page(self, pks: Sequence[int]) -> dict[int, Any]:
        return Person.objects.prefetch_related("memberships__organisation").in_bulk(list(pks))

    def hit(self, obj: Person, score: float, words: Sequence[str]) -> Hit:
        return Hit(
            obj,
            score,
            highlight(obj.full_name, words),
            highlight(obj.position, words),
            reverse("person_detail", args=[obj.pk]),
        )


class OrganisationIndex(registry.Index):
    model = Organisation
    key = "orgs"
    label = gettext_lazy("Organisations")
    position = 30
    table_name = "search_organisation"
    fields = (
        SearchField("name", 10.0, "A"),  # Thai and English names, the code
        SearchField("about", 2.0, "C"),  # its kind and the organisation above it
    )
    text_fields = frozenset({"name_th", "name_en", "code", "kind", "parent"})
    related = (
        Related(
            "orgs.Organisation",
            lambda org: Organisation.objects.filter(parent_id=org.pk).values_list("pk", flat=True),
            frozenset({"name_th"}),
        ),
    )
    template = "orgs/search_organisation_hit.html"
    order = ("name_sort", "pk")

    def documents(self, pks: Sequence[int], *, raw: bool) -> list[tuple[int, list[str], str | None]]:
        with translation.override(settings.LANGUAGE_CODE):  # kinds in the installation's language
            kinds = {k: str(label) for k, label in Organisation.Kind.choices}
        out: list[tuple[int, list[str], str | None]] = []
        for pk, name_th, name_en, code, kind, parent in (
            Organisation.objects.filter(pk__in=pks)
            .order_by("pk")
            .values_list("pk", "name_th", "name_en", "code", "kind", "parent__name_th")
        ):
            name = " ".join(x for x in (name_th, name_en, code) if x)
            about = " ".join(x for x in (str(kinds.get(kind, kind)), parent or "") if x)
            out.append((pk, [name, about], f"{name}\n{about}" if raw else None))
        return out

    def visible(self, user: Any, filters: dict[str, str]) -> QuerySet[Organisation]:
        return Organisation.objects.for_user(user)

    def page(self, pks: Sequence[int]) -> dict[int, Any]:
        return Organisation.objects.select_related("parent").in_bulk(list(pks))

    def hit(self, obj: Organisation, score: float, words: Sequence[str]) -> Hit:
        about = " · ".join(x for x in (obj.get_kind_display(), obj.parent.name if obj.parent else "") if x)
        return Hit(
            obj,
            score,
            highlight(obj.name, words),
            highlight(about, words),
            reverse("organisation_detail", args=[obj.code]),
        )


registry.register(PersonIndex())
registry.register(OrganisationIndex())
