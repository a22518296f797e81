"""Changing an organisation's dictionary (words the Thai segmenter keeps whole): each change
checks who may make it, runs in one transaction and writes an audit row."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from platu.audit.log import record
from platu.lib.errors import ActionRefused
from platu.orgs import access as org_access
from platu.orgs.models import Organisation, Team, TeamMember
from platu.search.models import SearchTerm


def can_edit_terms(user: Any, org: Organisation) -> bool:
    """The organisation's admins and the members of its KM team."""
    if org_access.can_admin(user, org):
        return True
    person = org_access.person_of(user)
    return (
        person is not None
        and TeamMember.objects.filter(
            person=person, team__organisation=org, team__kind=Team.Kind.KM_TEAM
        ).exists()
    )


def _require(user: Any, org: Organisation) -> None:
    if not can_edit_terms(user, org):
        raise ActionRefused(
            _("Only the organisation's administrators and KM team may change its dictionary.")
        )


@transaction.atomic
def add_terms(org: Organisation, terms: list[str], *, acting_user: Any) -> int:
    _require(acting_user, org)
    added = 0
    for term in terms:
        _obj, created = SearchTerm.objects.get_or_create(
            organisation=org, term=term, defaults={"added_by": acting_user}
        )
        added += created
    record("search.terms", actor=acting_user, obj=org, organisation=org, data={"terms": terms})
    return added


@transaction.atomic
def remove_term(org: Organisation, term_id: int, *, acting_user: Any) -> bool:
    _require(acting_user, org)
    term = SearchTerm.objects.filter(organisation=org, pk=term_id).first()
    if term is None:
        return False
    term.delete()
    record("search.term_removed", actor=acting_user, obj=org, organisation=org, data={"term": term.term})
    return True


@transaction.atomic
def apply_terms(org: Organisation, *, acting_user: Any) -> None:
    """Rebuild the index with the dictionary, in the background worker."""
    from platu.search.tasks import rebuild_index

    _require(acting_user, org)
    transaction.on_commit(lambda: rebuild_index.enqueue())
    record("search.reindex", actor=acting_user, obj=org, organisation=org)
