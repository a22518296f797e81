"""Demo event (``platu_demo``): the district office's share-and-show day, three weeks from
today, with two sessions on stage, three booths, three works from the district's knowledge,
every place taken and one teacher on the waiting list. Written with the ORM, like the rest of
the demo. Idempotent: an event already there is left as it is."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from platu.communities.models import Community
from platu.communities.models.events import Event, EventSlot, PresentedWork, Registration
from platu.orgs.models import Organisation, Person

ORG = "snk-pesa1"
TITLE = "มหกรรมแลกเปลี่ยนเรียนรู้ Share & Show สพป.ศรีนครา เขต 1"
ORGANISER = "somporn.j"
REGISTERED = ["pranee.k", "natthapong.w", "kannika.s", "duangjai.p", "siriporn.y", "teerapat.n"]
WAITLISTED = ["jakkrit.h"]
SESSIONS = [
    ("เปิดงานและปาฐกถา “โรงเรียนแห่งการเรียนรู้”", dt.time(9, 0), dt.time(10, 0), "หอประชุมใหญ่", "ผู้อำนวยการ สพป.ศรีนครา เขต 1"),
    ("เวทีเล่าเรื่องความสำเร็จ PLC ภาษาไทย", dt.time(10, 30), dt.time(12, 0), "หอประชุมใหญ่", "วง PLC ครูภาษาไทย โรงเรียนบ้านหนองบัวทอง"),
]  # fmt: skip
BOOTHS = [
    ("บูธการอ่านออกเขียนได้", "บูธ 1", "โรงเรียนบ้านหนองบัวทอง"),
    ("บูธสื่อคณิตศาสตร์ลงมือทำ", "บูธ 2", "โรงเรียนอนุบาลศรีนครา"),
    ("บูธนวัตกรรมการนิเทศ", "บูธ 3", "กลุ่มนิเทศ ติดตามและประเมินผล"),
]


def build(people: dict[str, Person]) -> Event | None:
    """The event, its programme, works and registrations; ``people`` by username, as the demo
    command builds them. Returns the event (None when the district office is missing)."""
    org = Organisation.objects.filter(code=ORG).first()
    if org is None:
        return None
    if (found := Event.objects.filter(organisation=org, title=TITLE).first()) is not None:
        return found
    day = timezone.localdate() + dt.timedelta(days=21)

    def at(time: dt.time) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, time))

    organiser = people.get(ORGANISER)
    event = Event.objects.create(
        organisation=org, network_path=org.network_path, kind=Event.Kind.SHARE_AND_SHOW, title=TITLE,
        description="เวทีนำเสนอผลงานและแลกเปลี่ยนเรียนรู้ของครูและผู้บริหารในสังกัด "
                    "ชมบูธแนวปฏิบัติที่ดีจากโรงเรียน และร่วมเวทีเล่าเรื่องความสำเร็จของวง PLC",
        place="หอประชุม สพป.ศรีนครา เขต 1", starts_at=at(dt.time(8, 30)), ends_at=at(dt.time(16, 0)),
        capacity=len(REGISTERED), registration_closes_at=at(dt.time(8, 30)) - dt.timedelta(days=3),
        visibility=Community.Visibility.NETWORK, state=Event.State.OPEN,
        created_by=organiser.user if organiser else None,
        community=Community.objects.filter(organisation=org).order_by("pk").first(),
    )  # fmt: skip
    slots = [
        EventSlot.objects.create(event=event, kind=EventSlot.Kind.SESSION, title=title, starts_at=at(start),
                                 ends_at=at(end), place=place, presenters=presenters)
        for title, start, end, place, presenters in SESSIONS
    ]  # fmt: skip
    slots += [
        EventSlot.objects.create(event=event, kind=EventSlot.Kind.BOOTH, title=title, place=place, presenters=who)
        for title, place, who in BOOTHS
    ]  # fmt: skip
    from platu.knowledge.models import Item

    network = Item.objects.live().filter(organisation__path__startswith=org.path).order_by("pk")
    items = list(network.filter(visibility__in=["network", "public"])[:3])
    items += list(network.exclude(pk__in=[i.pk for i in items])[: 3 - len(items)])
    for item, slot in zip(items, [slots[1], slots[2], slots[3]], strict=False):
        PresentedWork.objects.create(
            event=event, item=item, slot=slot, presenters=item.owner.full_name,
            added_by=organiser.user if organiser else None,
        )  # fmt: skip
    for username in REGISTERED:
        if username in people:
            Registration.objects.create(
                event=event, person=people[username], state=Registration.State.REGISTERED
            )
    for username in WAITLISTED:
        if username in people:
            Registration.objects.create(
                event=event, person=people[username], state=Registration.State.WAITLISTED
            )
    return event
