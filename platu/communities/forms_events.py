"""Forms of events: days typed the Thai way (day/month/B.E. year), times in Thai time
(Asia/Bangkok), combined into the moments the actions take."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platu.communities.events import MAX_CAPACITY
from platu.communities.forms import Bootstrap, TimeField
from platu.communities.models import Community
from platu.communities.models.events import Event, EventSlot
from platu.lib.forms import BEDateField
from platu.lib.ids import MAX_ID, parse_int


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _time_widget(example: str) -> forms.TextInput:
    return forms.TextInput(attrs={"placeholder": example, "inputmode": "numeric"})


class EventForm(Bootstrap, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=Event.Kind.choices)
    community = forms.ModelChoiceField(
        label=_("held by the community"), queryset=Community.objects.none(), required=False,
        empty_label=_("(the organisation itself)"),
    )  # fmt: skip
    day = BEDateField(label=_("date"))
    start = TimeField(label=_("starts at"), widget=_time_widget("08:30"))
    end_day = BEDateField(
        label=_("last day"), required=False, help_text=_("For an event of several days; empty for one day.")
    )
    end = TimeField(label=_("ends at"), widget=_time_widget("16:30"))
    place = forms.CharField(label=_("place"), max_length=255, required=False)
    online_url = forms.URLField(label=_("online link"), required=False, assume_scheme="https", max_length=200)
    description = forms.CharField(
        label=_("description"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )
    capacity = forms.IntegerField(
        label=_("places"), required=False, min_value=1, max_value=MAX_CAPACITY,
        help_text=_("Empty for no limit. When the places are taken, people join the waiting list."),
        error_messages={
            "min_value": _("The number of places must be at least 1 (empty for no limit)."),
            "max_value": _("The number of places may be at most %(limit_value)s."),
            "invalid": _("Type the number of places in digits, e.g. 120."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    closes_day = BEDateField(label=_("registration closes on"), required=False)
    closes_time = TimeField(
        label=_("registration closes at"), required=False, widget=_time_widget("16:30"),
        help_text=_("Empty: registration stays open until the event ends."),
    )  # fmt: skip
    visibility = forms.ChoiceField(label=_("who may see it"), choices=Community.Visibility.choices)

    def __init__(self, *args: Any, communities: list[Community] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()
        self.fields["community"].queryset = Community.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in communities or []]
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if day and start and end:
            last = data.get("end_day") or day
            if last < day:
                self.add_error("end_day", _("The last day is before the first."))
            elif (last - day).days > 31:
                self.add_error("end_day", _("An event lasts a month at most."))
            elif _at(last, end) <= _at(day, start):
                self.add_error("end", _("The event ends before it starts."))
            else:
                data["starts_at"], data["ends_at"] = _at(day, start), _at(last, end)
        closes_day, closes_time = data.get("closes_day"), data.get("closes_time")
        data["registration_closes_at"] = None
        if closes_time and not closes_day and "closes_day" not in self.errors:
            self.add_error("closes_day", _("Give the day registration closes."))
        elif closes_day:
            closes = _at(closes_day, closes_time or dt.time(23, 59))
            data["registration_closes_at"] = closes
            if data.get("ends_at") and closes > data["ends_at"]:
                self.add_error("closes_day", _("Registration must close before the event ends."))
        return data

    @staticmethod
    def initial_for(event: Event) -> dict[str, Any]:
        starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
        initial = {
            "title": event.title, "kind": event.kind, "community": event.community_id,
            "day": starts.date(), "start": starts.strftime("%H:%M"),
            "end_day": ends.date() if ends.date() != starts.date() else None, "end": ends.strftime("%H:%M"),
            "place": event.place, "online_url": event.online_url, "description": event.description,
            "capacity": event.capacity, "visibility": event.visibility,
        }  # fmt: skip
        if event.registration_closes_at:
            closes = timezone.localtime(event.registration_closes_at)
            initial["closes_day"], initial["closes_time"] = closes.date(), closes.strftime("%H:%M")
        return initial


class SlotForm(Bootstrap, forms.Form):
    """A session of the programme, or a booth."""

    kind = forms.ChoiceField(label=_("session or booth"), choices=EventSlot.Kind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    day = BEDateField(label=_("date"), required=False, help_text=_("Empty: the event's first day."))
    start = TimeField(label=_("starts at"), required=False, widget=_time_widget("09:00"))
    end = TimeField(label=_("ends at"), required=False, widget=_time_widget("10:30"))
    place = forms.CharField(label=_("room or booth"), max_length=200, required=False)
    presenters = forms.CharField(label=_("presenters"), max_length=500, required=False)
    description = forms.CharField(
        label=_("description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "slot")
        super().__init__(*args, **kwargs)
        self.event = event
        self.style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day = data.get("day") or timezone.localtime(self.event.starts_at).date()
        start, end = data.get("start"), data.get("end")
        data["starts_at"] = data["ends_at"] = None
        if end and not start and "start" not in self.errors:
            self.add_error("start", _("Give the start time too."))
        elif start:
            data["starts_at"] = _at(day, start)
            if end:
                if end <= start:
                    self.add_error("end", _("The session ends before it starts."))
                else:
                    data["ends_at"] = _at(day, end)
        return data


class PickField(forms.TypedChoiceField):
    """A choice from a long list shown in part: any id is accepted here, and the action checks
    that the acting user may present it."""

    def valid_value(self, value: Any) -> bool:
        return parse_int(value, maximum=MAX_ID) is not None


class WorkForm(Bootstrap, forms.Form):
    """A presented work: a knowledge item chosen from those the organiser may read."""

    item = PickField(label=_("knowledge item"), coerce=int)
    slot = forms.TypedChoiceField(
        label=_("at the session or booth"), coerce=int, required=False, empty_value=None
    )
    presenters = forms.CharField(label=_("presenters"), max_length=500, required=False)

    def __init__(self, *args: Any, items: list[Any], slots: list[EventSlot], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "work")
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "---------")] + [  # type: ignore[attr-defined]
            (i.pk, f"{i.title} · {i.organisation.name}") for i in items
        ]
        self.fields["slot"].choices = [("", _("(none)"))] + [  # type: ignore[attr-defined]
            (s.pk, f"{s.get_kind_display()}: {s.title}") for s in slots
        ]
        self.style()
