from platu.communities.models.base import (
    Attendance,
    CalendarToken,
    Community,
    CommunityQuerySet,
    Guest,
    Member,
    Rsvp,
    Series,
    Session,
    SessionRecord,
)
from platu.communities.models.events import Event, EventQuerySet, EventSlot, PresentedWork, Registration
from platu.communities.models.records import HoursPolicy, RecordFile, TermApproval
from platu.communities.models.space import Post

__all__ = [
    "Attendance", "CalendarToken", "Community", "CommunityQuerySet", "Event", "EventQuerySet", "EventSlot",
    "Guest", "HoursPolicy", "Member", "Post", "PresentedWork", "RecordFile", "Registration", "Rsvp",
    "Series", "Session", "SessionRecord", "TermApproval",
]  # fmt: skip
