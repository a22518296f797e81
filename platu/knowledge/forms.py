from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platu.knowledge.models import Category, Item, ReviewVote
from platu.lib.forms import BEDateField
from platu.lib.ids import IdsChoiceField
from platu.orgs.forms import BootstrapMixin
from platu.orgs.models import Organisation, Person


class ItemForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Item.Kind.choices)
    title = forms.CharField(label=_("Item title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: what this knowledge is and who it helps."),
    )  # fmt: skip
    body = forms.CharField(label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 16}))
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=2000,
        help_text=_("Separate tags with commas."),
        widget=forms.TextInput(attrs={"list": "tag-suggestions", "autocomplete": "off"}),
    )  # fmt: skip
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), required=False)
    source = forms.ChoiceField(label=_("Source"), choices=Item.Source.choices)
    level = forms.ChoiceField(
        label=_("Level"), choices=Item.Level.choices,
        help_text=_("Core knowledge is distilled from several pockets; link them below."),
    )  # fmt: skip
    sources = IdsChoiceField(
        label=_("Distilled from"), queryset=Item.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    coauthors = IdsChoiceField(
        label=_("Co-authors"), queryset=Person.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    visibility = forms.ChoiceField(label=_("Who may read it once published"), choices=Item.Visibility.choices)
    communities = forms.TypedMultipleChoiceField(
        label=_("Communities of practice"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The communities this knowledge comes from or serves; it appears in their space."),
    )  # fmt: skip
    review_interval_months = forms.IntegerField(
        label=_("Review every (months)"), min_value=1, max_value=60, initial=12
    )
    message = forms.CharField(label=_("What did you change?"), required=False, max_length=300)
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, org: Organisation, user: Any, item: Item | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        from platu.knowledge.actions import category_tree

        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Category.objects.filter(organisation=org)
        # The tree in display order, indented by depth.
        field.choices = [("", "—")] + [
            (node.pk, ("— " * depth) + node.name) for node, depth in category_tree(org)
        ]
        people = Person.objects.filter(memberships__organisation=org).distinct().order_by("sort_key")
        self.fields["coauthors"].queryset = people  # type: ignore[attr-defined]
        sources = Item.objects.visible_to(user).filter(organisation=org, level=Item.Level.POCKET)
        if item is not None:
            sources = sources.exclude(pk=item.pk)
        self.fields["sources"].queryset = sources.order_by("-created_at")  # type: ignore[attr-defined]
        if item is None:
            del self.fields["message"]
        from platu.knowledge import links

        community_choices = links.choices("community", user, item)
        if community_choices:
            self.fields["communities"].choices = community_choices  # type: ignore[attr-defined]
        else:
            del self.fields["communities"]


class VoteForm(BootstrapMixin, forms.Form):
    vote = forms.ChoiceField(label=_("Your vote"), choices=ReviewVote.Vote.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment for the authors"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you ask for changes."),
    )  # fmt: skip
    quote = forms.CharField(
        label=_("On this passage (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Select text in the content and it is copied here."),
    )  # fmt: skip


class CommentForm(BootstrapMixin, forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Type @ and a username to notify a colleague."),
    )  # fmt: skip
    quote = forms.CharField(required=False, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    review = forms.BooleanField(required=False, widget=forms.HiddenInput)


class AppliedForm(BootstrapMixin, forms.Form):
    applied_on = BEDateField(label=_("When"), initial=timezone.localdate)
    where = forms.CharField(label=_("Where (unit, school, project)"), max_length=300)
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(
        label=_("Evidence (optional)"), required=False,
        help_text=_("A document or photo; at most %(mb)s MB.") % {"mb": settings.PLATU_UPLOAD_MAX_BYTES // 1048576},
    )  # fmt: skip

    def __init__(self, *args: Any, use_thai_digits: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["applied_on"]
        assert isinstance(field, BEDateField)
        field.use_thai_digits(use_thai_digits)


class AttachmentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("File"))


class VideoForm(BootstrapMixin, forms.Form):
    url = forms.URLField(label=_("Video address"), max_length=500, assume_scheme="https")
    title = forms.CharField(label=_("Title"), required=False, max_length=200)


class CategoryForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Category name"), max_length=120)
    parent = forms.ModelChoiceField(label=_("Inside"), queryset=Category.objects.none(), required=False)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Category.objects.filter(organisation=org)  # type: ignore[attr-defined]


class RepositoryFilter(BootstrapMixin, forms.Form):
    SORTS = [
        ("new", _("Newest")),
        ("useful", _("Most useful")),
        ("applied", _("Most applied")),
        ("viewed", _("Most viewed")),
    ]
    q = forms.CharField(label=_("Title contains"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *Item.Kind.choices], required=False
    )
    category = forms.IntegerField(required=False, widget=forms.HiddenInput)
    tag = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    community = forms.IntegerField(required=False, widget=forms.HiddenInput)
    scope = forms.ChoiceField(
        label=_("From"),
        choices=[("org", _("This organisation")), ("all", _("All I can read"))],
        required=False,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)
