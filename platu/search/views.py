"""The search page (knowledge, people and experts, organisations), suggestions while typing, and
the organisation's dictionary terms."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from platu.audit.log import record
from platu.orgs import access as org_access
from platu.orgs.forms import BootstrapMixin
from platu.orgs.models import Organisation, Team, TeamMember
from platu.search import experts as expert_finder
from platu.search import service
from platu.search.models import IndexRun, SearchTerm
from platu.search.query import MAX_QUERY_CHARS
from platu.search.segment import TOKEN_RE, normalise

PAGE_SIZE = 20
TABS = (
    ("items", gettext_lazy("Knowledge")),
    ("people", gettext_lazy("People and experts")),
    ("orgs", gettext_lazy("Organisations")),
)


@dataclass
class Page:
    """Enough of Django's Page for includes/qpager.html."""

    number: int
    num_pages: int

    @property
    def paginator(self) -> Page:
        return self

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 500))
    except ValueError:
        return 1


def _organisations(user: Any, text: str) -> list[Organisation]:
    orgs = Organisation.objects.for_user(user)
    for word in text.split()[:8]:
        orgs = orgs.filter(Q(name_th__icontains=word) | Q(name_en__icontains=word) | Q(code__icontains=word))
    return list(orgs.order_by("name_sort")[:50])


FACET_LABELS = {
    "kind": gettext_lazy("Type"),
    "org": gettext_lazy("Organisation"),
    "community": gettext_lazy("Community"),
    "category": gettext_lazy("Category"),
    "tag": gettext_lazy("Tags"),
    "fy": gettext_lazy("Fiscal year"),
    "state": gettext_lazy("State"),
}


def _facet_groups(request: HttpRequest, results: service.Results) -> list[tuple[str, str, list[Any]]]:
    """(name, label, facets) with each facet's link to choose it or to drop it."""
    groups = []
    for name, values in results.facets.items():
        for facet in values:
            query = request.GET.copy()
            query.pop("page", None)
            if facet.selected:
                query.pop(name, None)
            else:
                query[name] = facet.value
            facet.url = "?" + query.urlencode()
        if values:
            groups.append((name, str(FACET_LABELS[name]), values))
    return groups


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[: MAX_QUERY_CHARS * 2]
    tab = request.GET.get("tab", "items")
    if tab not in dict(TABS):
        tab = "items"
    number = _page_number(request)
    filters = service.clean_filters(request.GET)
    context: dict[str, Any] = {"query": text, "tab": tab, "tabs": TABS, "filters": filters}
    results = service.search_items(
        request.user, text, filters, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE, facets=tab == "items"
    )
    context["results"] = results
    context["parsed"] = results.parsed
    if not results.parsed.error:
        pages = max(1, math.ceil(results.total / PAGE_SIZE))
        context["page"] = Page(min(number, pages), pages)
        context["highlight"] = " ".join(results.parsed.words or results.parsed.raw_words)
        _parsed, people, people_total = service.search_people(request.user, text, limit=PAGE_SIZE)
        context["people"], context["people_total"] = people, people_total
        context["organisations"] = _organisations(request.user, text.strip()) if text.strip() else []
        if tab == "people":
            context["experts"] = expert_finder.find_experts(request.user, text)[1]
        context["facet_groups"] = _facet_groups(request, results)
    return render(request, "search/page.html", context)


@login_required
@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:MAX_QUERY_CHARS]
    found = service.suggest(request.user, text) if len(text.strip()) >= 1 else {}
    return render(request, "search/suggest.html", {"found": found, "query": text})


# -- the organisation's dictionary ----------------------------------------------------------------


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


class TermsForm(BootstrapMixin, forms.Form):
    terms = forms.CharField(
        label=gettext_lazy("New terms"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=gettext_lazy("One per line or separated by commas, e.g. คุณอำนวย, ขุมความรู้"),
    )

    def clean_terms(self) -> list[str]:
        raw = self.cleaned_data["terms"].replace(",", "\n").splitlines()
        terms, bad = [], []
        for line in raw:
            term = " ".join(line.split())
            if not term:
                continue
            if len(term) > 100 or " " in term or not TOKEN_RE.fullmatch(normalise(term)):
                bad.append(term[:40])
            else:
                terms.append(normalise(term))
        if bad:
            raise forms.ValidationError(
                _("A term is one word of letters and digits, without spaces or punctuation: %(bad)s")
                % {"bad": ", ".join(bad)}
            )
        if not terms:
            raise forms.ValidationError(_("Type at least one term."))
        return terms


@login_required
def terms(request: HttpRequest, code: str) -> HttpResponse:
    org = org_access.get_organisation_for_user(request, code)
    editable = can_edit_terms(request.user, org)
    form = TermsForm()
    if request.method == "POST":
        if not editable:
            org_access.require_admin(request.user, org)
        action = request.POST.get("action", "add")
        if action == "delete":
            SearchTerm.objects.filter(organisation=org, pk=request.POST.get("term")).delete()
            messages.success(request, _("The term was removed. Apply the dictionary to use the change."))
            return redirect("search_terms", org.code)
        if action == "apply":
            from platu.search.tasks import rebuild_index

            transaction.on_commit(lambda: rebuild_index.enqueue())
            record("search.reindex", actor=request.user, obj=org, organisation=org)
            messages.success(request, _("The index is being rebuilt with the dictionary; it takes a moment."))
            return redirect("search_terms", org.code)
        form = TermsForm(request.POST)
        if form.is_valid():
            added = 0
            for term in form.cleaned_data["terms"]:
                _obj, created = SearchTerm.objects.get_or_create(
                    organisation=org, term=term, defaults={"added_by": request.user}
                )
                added += created
            record("search.terms", actor=request.user, obj=org, organisation=org,
                   data={"terms": form.cleaned_data["terms"]})  # fmt: skip
            messages.success(
                request, _("%(n)s terms added. Apply the dictionary to use them.") % {"n": added}
            )
            return redirect("search_terms", org.code)
    last_run = IndexRun.objects.filter(finished_at__isnull=False).first()
    org_terms = list(SearchTerm.objects.filter(organisation=org).select_related("added_by"))
    pending = [t for t in org_terms if last_run is None or t.created_at > last_run.started_at]
    return render(
        request,
        "search/terms.html",
        {
            "org": org,
            "form": form,
            "terms": org_terms,
            "pending": pending,
            "editable": editable,
            "last_run": last_run,
        },
    )
