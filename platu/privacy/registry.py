"""What each module keeps about a person, declared by the module itself in its own `privacy.py`
(discovered when the app registry is ready), as it declares its search indexes in `search.py`.

A declaration names a model, the links that tie a row to a person (a foreign key to the account
or to `orgs.Person`), the columns that hold personal data, why the data is kept, on what legal
basis (PDPA section 24) and for how long, and what erasure does with the rows:

- ``KEEP``: the rows stay (the organisation's knowledge); personal text in them is pseudonymised;
- ``CLEAR``: the rows stay, the ``fields`` are emptied;
- ``DELETE``: the rows are deleted.

Privacy itself imports no domain app: it reads these declarations for the export, the erasure, the
record of processing (ROPA) and the check that no model referring to a person is left undeclared.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

KEEP, CLEAR, DELETE = "keep", "clear", "delete"


@dataclass(frozen=True)
class PersonalData:
    model: str  # "app_label.ModelName"
    links: Sequence[str]  # fields pointing at the account or the person
    fields: Sequence[str] = ()  # columns holding personal data
    purpose: Any = ""  # why it is kept (a lazy Thai-translatable string)
    basis: Any = ""  # the legal basis
    retention: Any = ""  # how long
    erase: str = KEEP
    files: Sequence[str] = ()  # file fields whose files go into the person's export
    export: bool = True  # False: not part of the person's download (secrets)
    exclude: Sequence[str] = ()  # columns never exported (hashes, encrypted secrets)
    erase_links: Sequence[str] | None = None  # the links whose rows are deleted or cleared (default: all)
    clear: Sequence[str] = ()  # columns emptied on erasure whatever ``erase`` says (an IP address)
    erase_hook: Callable[[Any], None] | None = field(default=None, compare=False)

    def get_model(self) -> type[models.Model]:
        return apps.get_model(self.model)


_declared: dict[str, PersonalData] = {}


def register(*items: PersonalData) -> None:
    for item in items:
        _declared[item.model.lower()] = item


def _installed(model: str) -> bool:
    try:
        apps.get_model(model)
    except LookupError:  # a declaration of an app this installation leaves out
        return False
    return True


def declarations() -> list[PersonalData]:
    return sorted((d for d in _declared.values() if _installed(d.model)), key=lambda d: d.model.lower())


def find(model: type[models.Model]) -> PersonalData | None:
    return _declared.get(model._meta.label_lower)


def _people_models() -> tuple[type[models.Model], ...]:
    return (apps.get_model(settings.AUTH_USER_MODEL), apps.get_model("orgs", "Person"))


def referring_models() -> list[tuple[type[models.Model], list[str]]]:
    """Every model (with the auto-created tables) with a foreign key to the account or the person."""
    targets = _people_models()
    out = []
    for model in apps.get_models(include_auto_created=True):
        links = [
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in targets and model not in targets
        ]
        if links:
            out.append((model, links))
    return out


def undeclared() -> list[str]:
    """Models that refer to a person but that no `privacy.py` declares (nor their links)."""
    problems = []
    for model, links in referring_models():
        item = find(model)
        if item is None and not model._meta.auto_created:
            problems.append(model._meta.label)
        elif item is not None and set(links) - set(item.links):
            problems.append(f"{model._meta.label}: {', '.join(sorted(set(links) - set(item.links)))}")
    return problems


def link_target(model: type[models.Model], link: str) -> type[models.Model]:
    """The model a link (a field name or a lookup path such as ``response__person``) ends at."""
    if link == "pk":
        return model
    current: Any = model
    for part in link.split("__"):
        current = current._meta.get_field(part).related_model
    return current  # type: ignore[no-any-return]


# The words the declarations share (what the record of processing prints).
from django.utils.translation import gettext_lazy as _  # noqa: E402

BASIS_CONTRACT = _("Needed to run the service the person uses (section 24(3))")
BASIS_PUBLIC_TASK = _("A public task of the agency: knowledge management under the PMQA/PDMS (section 24(4))")
BASIS_LEGAL = _("A legal obligation: government records and audit (section 24(6))")
BASIS_LEGITIMATE = _("Legitimate interest: security of the service (section 24(5))")
BASIS_CONSENT = _("Consent, which the person may withdraw (section 19)")
KEEP_ACCOUNT = _("While the account is used; removed on erasure")
KEEP_KNOWLEDGE = _("As long as the knowledge is kept; the name is pseudonymised on erasure")
KEEP_RECORDS = _("As the agency's records; the name is pseudonymised on erasure")
KEEP_AUDIT = _("As set in the retention settings (default 5 years)")
KEEP_SHORT = _("Short-lived; deleted automatically")
