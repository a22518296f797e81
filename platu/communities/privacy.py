"""What communities of practice and events keep about a person (declared for platu/privacy)."""

from django.utils.translation import gettext_lazy as _

from platu.privacy.registry import (
    BASIS_CONSENT,
    BASIS_PUBLIC_TASK,
    DELETE,
    KEEP_ACCOUNT,
    KEEP_RECORDS,
    PersonalData,
    register,
)

COP = _("Communities of practice: members, sessions, attendance and PLC hours")
EVENTS = _("KM events: registrations and presented works")


def _cop(
    model: str, links: tuple[str, ...], fields: tuple[str, ...] = (), files: tuple[str, ...] = ()
) -> PersonalData:
    return PersonalData(model, links=links, fields=fields, files=files, purpose=COP, basis=BASIS_PUBLIC_TASK,
                        retention=KEEP_RECORDS)  # fmt: skip


register(
    _cop("communities.Member", ("person",)),
    _cop("communities.Rsvp", ("person",)),
    _cop("communities.Attendance", ("person", "recorded_by")),
    _cop("communities.SessionRecord", ("written_by", "signed_by")),
    _cop("communities.RecordFile", ("uploaded_by",), ("name",), ("file",)),
    _cop("communities.HoursPolicy", ("updated_by",)),
    _cop("communities.TermApproval", ("person", "approved_by")),
    _cop("communities.Post", ("author",), ("author_name", "body")),
    PersonalData(
        "communities.CalendarToken",
        links=("user",),
        purpose=_("A private calendar feed"),
        basis=BASIS_CONSENT,
        retention=KEEP_ACCOUNT,
        erase=DELETE,
        exclude=("token",),
    ),
    PersonalData(
        "communities.Event",
        links=("created_by",),
        purpose=EVENTS,
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_RECORDS,
    ),
    PersonalData(
        "communities.Registration",
        links=("person",),
        purpose=EVENTS,
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_RECORDS,
    ),
    PersonalData(
        "communities.PresentedWork",
        links=("added_by",),
        fields=("presenters",),
        purpose=EVENTS,
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_RECORDS,
    ),
)
