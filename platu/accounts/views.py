"""The profile page's API tokens: make one (its key shown once) and revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from platu.accounts import tokens
from platu.accounts.models import ApiToken
from platu.lib.errors import ActionRefused, InvalidAction

NEW_KEY = "platu_new_api_key"


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What is it for?"), max_length=100)
    write = forms.BooleanField(label=gettext_lazy("It may also change things (write)"), required=False)
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, max_value=ApiToken.MAX_DAYS,
        initial=ApiToken.DEFAULT_DAYS,
    )  # fmt: skip


def _back(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    if person is not None:
        return redirect(reverse("person_detail", args=[person.pk]) + "#api-tokens")
    return redirect("api_tokens")


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The tokens' section on its own (for an account with no person, and after making one)."""
    context: dict[str, object] = {"token_form": TokenForm()}
    shown = request.session.pop(NEW_KEY, None)
    if isinstance(shown, dict):
        token = tokens.tokens_of(request.user).filter(pk=int(shown.get("pk") or 0)).first()
        if token is not None:
            context.update(new_token=token, new_key=shown.get("key"))
    return render(request, "accounts/api_tokens.html", context)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        # The form comes back with its errors and what was typed (no redirect that empties it).
        return render(request, "accounts/api_tokens.html", {"token_form": form}, status=400)
    data = form.cleaned_data
    scopes = [ApiToken.READ, ApiToken.WRITE] if data["write"] else [ApiToken.READ]
    try:
        token, key = tokens.issue(
            request.user, data["name"], scopes=scopes, days=data["days"], acting_user=request.user
        )
    except (InvalidAction, ActionRefused) as exc:
        form.add_error(None, exc.message)
        return render(request, "accounts/api_tokens.html", {"token_form": form}, status=400)
    # Post/redirect/get: a reload of the page that shows the key must not make a second token.
    # The key waits in the session for the one page view that shows it.
    request.session[NEW_KEY] = {"pk": token.pk, "key": key}
    return redirect("api_tokens")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = tokens.tokens_of(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    if tokens.revoke(token, acting_user=request.user):
        messages.success(request, _("The token was revoked; it no longer works."))
    return _back(request)
