"""The organisation's KM indicators for a fiscal year: what Platu counts against each target."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platu.lib import thaidate
from platu.lib.errors import ActionRefused, InvalidAction
from platu.lib.ids import MAX_ID, parse_int
from platu.orgs import access as org_access
from platu.tracking import indicators, measures
from platu.tracking.models import Binding, OrgIndicator


class IndicatorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Indicator"), max_length=300)
    measure = forms.ChoiceField(label=gettext_lazy("Counted by Platu"))
    scope = forms.ChoiceField(label=gettext_lazy("Counted over"), choices=Binding.Scope.choices)
    target = forms.CharField(label=gettext_lazy("Target"), required=False, max_length=20)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["measure"].choices = measures.choices()  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )


@login_required
def org_indicators(request: HttpRequest, code: str) -> HttpResponse:
    org = org_access.get_organisation_for_user(request, code)
    year = parse_int(request.GET.get("fy") or request.POST.get("fy"))
    year = year if year and 2400 <= year <= 2700 else thaidate.fiscal_year(timezone.localdate())
    can_manage = indicators.can_manage(request.user, org)
    form = IndicatorForm(request.POST or None) if can_manage else None
    url = reverse("tracking:indicators", args=[org.code]) + f"?fy={year}"
    if request.method == "POST":
        if not can_manage:
            raise Http404
        try:
            if request.POST.get("op") == "remove":
                row = OrgIndicator.objects.filter(
                    organisation=org, pk=parse_int(request.POST.get("pk"), maximum=MAX_ID) or 0
                ).first()
                if row is None:
                    raise Http404
                indicators.remove(row, acting_user=request.user)
                messages.success(request, _("Removed."))
                return redirect(url)
            if form is not None and form.is_valid():
                indicators.add(org, year, form.cleaned_data, acting_user=request.user)
                messages.success(request, _("Saved."))
                return redirect(url)
        except (InvalidAction, ActionRefused) as exc:
            field = getattr(exc, "field", None)
            if form is not None and field in form.fields:
                form.add_error(field, exc.message)
            else:
                messages.error(request, exc.message)
    rows = []
    for ind in OrgIndicator.objects.filter(organisation=org, fiscal_year=year):
        counted = indicators.compute(ind)
        m = measures.get(ind.measure)
        met = counted is not None and ind.target is not None and counted.value >= ind.target
        rows.append({"row": ind, "counted": counted, "measure": m, "met": met})
    return render(request, "tracking/indicators.html", {
        "org": org, "year": year, "rows": rows, "form": form, "can_manage": can_manage,
    })  # fmt: skip


urlpatterns = [path("orgs/<slug:code>/km-indicators/", org_indicators, name="indicators")]
