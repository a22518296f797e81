"""The organisation's dictionary: words the Thai segmenter must keep whole (คุณอำนวย, ขุมความรู้),
edited by the organisation's administrators and KM team, applied by rebuilding the index."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platu.orgs import access as org_access
from platu.orgs import dictionary
from platu.orgs.forms import BootstrapMixin
from platu.search.models import IndexRun, SearchTerm
from platu.search.segment import TOKEN_RE, normalise


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
    editable = dictionary.can_edit_terms(request.user, org)
    form = TermsForm()
    if request.method == "POST":
        if not editable:
            org_access.require_admin(request.user, org)
        action = request.POST.get("action", "add")
        if action == "delete":
            term = request.POST.get("term", "").strip()
            removed = (
                term.isascii()  # "²".isdigit(), but int("²") fails
                and term.isdigit()
                and len(term) < 12
                and dictionary.remove_term(org, int(term), acting_user=request.user)
            )
            if removed:
                messages.success(request, _("The term was removed. Apply the dictionary to use the change."))
            else:
                messages.error(request, _("There is no such term in the dictionary."))
            return redirect("search_terms", org.code)
        if action == "apply":
            dictionary.apply_terms(org, acting_user=request.user)
            messages.success(request, _("The index is being rebuilt with the dictionary; it takes a moment."))
            return redirect("search_terms", org.code)
        form = TermsForm(request.POST)
        if form.is_valid():
            added = dictionary.add_terms(org, form.cleaned_data["terms"], acting_user=request.user)
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
