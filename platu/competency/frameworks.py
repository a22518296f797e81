"""Reading frameworks: which one an organisation uses (its own or inherited from the nearest
office above), whether a version is in use, and what is expected of a position."""

from __future__ import annotations

from dataclasses import dataclass

from platu.competency.models import Assessment, Competency, Expectation, Framework, Level
from platu.orgs.models import Organisation


def newest_published(org: Organisation) -> Framework | None:
    return (
        Framework.objects.filter(organisation=org, state=Framework.State.PUBLISHED)
        .select_related("organisation")
        .order_by("-number")
        .first()
    )


def effective(org: Organisation) -> Framework | None:
    """The newest published version of the organisation's own framework, else of the nearest
    office above that has one (a school uses its district's or the ministry's)."""
    ids = [int(p) for p in org.path.strip("/").split("/") if p] or [org.pk]
    found = {
        f.organisation_id: f
        for f in Framework.objects.filter(organisation_id__in=ids, state=Framework.State.PUBLISHED)
        .select_related("organisation")
        .order_by("number")
    }  # the last (newest) per organisation wins
    for org_id in reversed(ids):
        if org_id in found:
            return found[org_id]
    return None


def in_use(framework: Framework) -> bool:
    """Any assessment made against it: the version is kept as it is."""
    return Assessment.objects.filter(cycle__framework=framework).exists()


def levels(framework: Framework) -> list[Level]:
    return list(Level.objects.filter(framework=framework))


@dataclass
class Node:
    competency: Competency
    depth: int


def tree(framework: Framework) -> list[Node]:
    """The competencies in reading order, each after its parent, with its depth."""
    rows = list(Competency.objects.filter(framework=framework))
    children: dict[int | None, list[Competency]] = {}
    for c in rows:
        children.setdefault(c.parent_id, []).append(c)
    kind_order = {k: i for i, k in enumerate(Competency.Kind.values)}
    out: list[Node] = []

    def walk(parent: int | None, depth: int) -> None:
        for c in sorted(children.get(parent, []), key=lambda c: (kind_order.get(c.kind, 9), c.order, c.pk)):
            out.append(Node(c, depth))
            if depth < 10:
                walk(c.pk, depth + 1)

    walk(None, 0)
    return out


class Expectations:
    """The framework's position mapping, read once: what is expected of a person in a position
    is the default set for everyone, overridden and extended by the mapping of the best-fitting
    position (the longest mapped name the person's position starts with: ครูชำนาญการพิเศษ takes
    ครูชำนาญการ before ครู)."""

    def __init__(self, framework: Framework) -> None:
        self.rows: dict[str, dict[int, int]] = {}
        for e in Expectation.objects.filter(framework=framework):
            self.rows.setdefault(e.position, {})[e.competency_id] = e.level

    @staticmethod
    def _key(text: str) -> str:
        return " ".join(text.split()).casefold()

    def matching_position(self, position: str) -> str:
        text = self._key(position)
        best = ""
        for name in self.rows:
            key = self._key(name)
            if key and text.startswith(key) and len(key) > len(self._key(best)):
                best = name
        return best

    def for_position(self, position: str) -> dict[int, int]:
        """Competency id → expected level."""
        out = dict(self.rows.get("", {}))
        best = self.matching_position(position)
        if best:
            out.update(self.rows[best])
        return out


def expected(framework: Framework, position: str) -> dict[int, int]:
    return Expectations(framework).for_position(position)
