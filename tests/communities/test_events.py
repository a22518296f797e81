"""Events (issue 17, part 7): share-and-show days, study visits, knowledge fairs and PLC
exhibitions, with registration (places and a waiting list), sessions and booths, and presented
works linked to knowledge items."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from platu.audit.models import ACTION_LABELS, AuditEntry
from platu.communities import events
from platu.communities.models.events import Event, EventSlot, PresentedWork, Registration
from platu.lib import thaidate
from platu.lib.errors import InvalidAction
from platu.notify.models import Notification
from tests.conftest import make_person


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def be(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{thaidate.to_be(day.year)}"


DAY = timezone.localdate() + dt.timedelta(days=30)


def _form(**extra: Any) -> dict[str, Any]:
    return {
        "title": "มหกรรมแลกเปลี่ยนเรียนรู้ โรงเรียนบ้านเอ", "kind": "share_and_show", "community": "",
        "day": be(DAY), "start": "09.00", "end_day": "", "end": "16:00", "place": "หอประชุมโรงเรียน",
        "online_url": "", "description": "นำเสนอผลงาน PLC ของครู", "capacity": "2",
        "closes_day": "", "closes_time": "", "visibility": "organisation", **extra,
    }  # fmt: skip


def _people(w: SimpleNamespace, n: int) -> list[Any]:
    return [make_person(f"teacher{i}", f"ครู{i}", "ทดสอบ", org=w.a) for i in range(n)]


@pytest.fixture
def ev(world: SimpleNamespace) -> SimpleNamespace:
    """A published event of org A, two places, organised by its CEO."""
    w = world
    response = client_for(w.owner).post(reverse("communities:event_new", args=[w.a.code]), _form())
    assert response.status_code == 302
    w.event = Event.objects.get()
    client_for(w.owner).post(reverse("communities:event_manage", args=[w.event.pk]), {"op": "publish"})
    w.event.refresh_from_db()
    return w


def _register(person: Any, event: Event, op: str = "register") -> Any:
    return client_for(person).post(
        reverse("communities:event_register", args=[event.pk]), {"op": op}, follow=True
    )


def _state(event: Event, person: Any) -> str:
    return Registration.objects.get(event=event, person=person).state


# -- creating and who sees it ---------------------------------------------------------------------


def test_an_admin_creates_a_draft_in_thai_time_and_publishes_it(world: SimpleNamespace) -> None:
    response = client_for(world.owner).post(reverse("communities:event_new", args=[world.a.code]), _form())
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert event.state == Event.State.DRAFT and event.capacity == 2 and event.created_by == world.owner.user
    assert event.network_path == world.a.network_path and event.network_path
    starts = timezone.localtime(event.starts_at)
    assert (starts.date(), starts.hour, starts.minute) == (DAY, 9, 0)
    assert str(starts.tzinfo) == "Asia/Bangkok"
    assert timezone.localtime(event.ends_at).hour == 16
    client_for(world.owner).post(reverse("communities:event_manage", args=[event.pk]), {"op": "publish"})
    event.refresh_from_db()
    assert event.state == Event.State.OPEN
    actions = set(AuditEntry.objects.filter(object_id=str(event.pk)).values_list("action", flat=True))
    assert {"community.event_create", "community.event_publish"} <= actions
    assert AuditEntry.objects.get(action="community.event_create").organisation == world.a


def test_a_plain_member_cannot_create_an_event(world: SimpleNamespace) -> None:
    response = client_for(world.member).post(reverse("communities:event_new", args=[world.a.code]), _form())
    assert response.status_code == 302 and not Event.objects.exists()
    assert (
        client_for(world.outsider).get(reverse("communities:event_new", args=[world.a.code])).status_code
        == 404
    )


def test_a_draft_is_seen_only_by_those_who_manage_it(world: SimpleNamespace) -> None:
    client_for(world.owner).post(reverse("communities:event_new", args=[world.a.code]), _form())
    event = Event.objects.get()
    assert client_for(world.member).get(event.get_absolute_url()).status_code == 404
    assert client_for(world.supervisor).get(event.get_absolute_url()).status_code == 404
    assert _register(world.member, event).status_code == 404
    assert (
        event.get_absolute_url()
        not in client_for(world.member).get(reverse("communities:events")).content.decode()
    )
    assert client_for(world.owner).get(event.get_absolute_url()).status_code == 200
    assert (
        "มหกรรมแลกเปลี่ยนเรียนรู้" in client_for(world.owner).get(reverse("communities:events")).content.decode()
    )
    # Published, the members and the office above see it.
    client_for(world.owner).post(reverse("communities:event_manage", args=[event.pk]), {"op": "publish"})
    assert client_for(world.member).get(event.get_absolute_url()).status_code == 200
    assert client_for(world.supervisor).get(event.get_absolute_url()).status_code == 200
    assert not Registration.objects.exists()


EVENT_URLS = ["event", "event_edit", "event_register", "event_manage", "event_slot", "event_work"]


@pytest.mark.parametrize("name", EVENT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organisation_gets_404_on_every_event_url(
    ev: SimpleNamespace, name: str, method: str
) -> None:
    url = reverse(f"communities:{name}", args=[ev.event.pk])
    data = {"op": "cancel", "title": "x", "slot-title": "x", "work-item": "1"}
    response = getattr(client_for(ev.outsider), method)(url, data)
    expected = 404 if method == "post" or name in ("event", "event_edit") else 405  # POST-only: 405 first
    assert response.status_code == expected
    ev.event.refresh_from_db()
    assert ev.event.state == Event.State.OPEN and ev.event.title == _form()["title"]
    assert not EventSlot.objects.exists() and not Registration.objects.exists()
    listing = client_for(ev.outsider).get(reverse("communities:events")).content.decode()
    assert "มหกรรมแลกเปลี่ยนเรียนรู้ โรงเรียนบ้านเอ" not in listing


def test_get_on_post_only_urls_is_405_for_those_who_see_it(ev: SimpleNamespace) -> None:
    # (which is why the outsider's 404 above is checked by POST for these)
    assert (
        client_for(ev.member).get(reverse("communities:event_register", args=[ev.event.pk])).status_code
        == 405
    )


# -- registration ---------------------------------------------------------------------------------


def test_places_are_taken_in_order_then_the_waiting_list(ev: SimpleNamespace) -> None:
    a, b, c, d = _people(ev, 4)
    for p in (a, b, c, d):
        _register(p, ev.event)
    assert [_state(ev.event, p) for p in (a, b, c, d)] == [
        "registered",
        "registered",
        "waitlisted",
        "waitlisted",
    ]
    _register(c, ev.event)  # twice is harmless
    assert Registration.objects.filter(event=ev.event).count() == 4
    response = client_for(d).get(ev.event.get_absolute_url())
    assert response.context["position"] == 2 and response.context["places_left"] == 0
    assert 'id="my-registration"' in response.content.decode()
    listing = client_for(d).get(reverse("communities:events"))
    assert [e.my_state for e in listing.context["upcoming"]] == ["waitlisted"]
    assert AuditEntry.objects.filter(action="community.event_register").count() == 4


def test_cancelling_a_place_moves_the_first_waiting_person_up_and_tells_them(ev: SimpleNamespace) -> None:
    a, b, c, d = _people(ev, 4)
    for p in (a, b, c, d):
        _register(p, ev.event)
    _register(a, ev.event, op="cancel")
    assert [_state(ev.event, p) for p in (a, b, c, d)] == [
        "cancelled",
        "registered",
        "registered",
        "waitlisted",
    ]
    told = Notification.objects.filter(kind="community.event_promoted")
    assert [n.recipient for n in told] == [c.user]
    assert told[0].url == ev.event.get_absolute_url()
    assert AuditEntry.objects.filter(action="community.event_promoted", data__person=c.pk).exists()
    # Leaving the waiting list moves nobody.
    _register(d, ev.event, op="cancel")
    assert told.count() == 1
    # Registering again goes to the back of the queue.
    _register(a, ev.event)
    assert _state(ev.event, a) == "waitlisted"


def test_a_manager_cancels_someone_and_marks_who_attended(ev: SimpleNamespace) -> None:
    a, b, c = _people(ev, 3)
    for p in (a, b, c):
        _register(p, ev.event)
    row = Registration.objects.get(event=ev.event, person=a)
    manage = reverse("communities:event_manage", args=[ev.event.pk])
    client_for(ev.member).post(manage, {"op": "unregister", "registration": row.pk})  # not a manager
    assert _state(ev.event, a) == "registered"
    client_for(ev.owner).post(manage, {"op": "unregister", "registration": row.pk})
    assert _state(ev.event, a) == "cancelled" and _state(ev.event, c) == "registered"
    client_for(ev.owner).post(manage, {"op": "attendance", "present": [b.pk, a.pk, "9" * 30, "x"]})
    assert set(
        Registration.objects.filter(event=ev.event, attended=True).values_list("person", flat=True)
    ) == {b.pk}
    assert AuditEntry.objects.filter(action="community.event_attendance").exists()


def test_the_last_place_goes_to_one_person_even_with_a_stale_page(ev: SimpleNamespace) -> None:
    """Sequentially: both load the event while one place is left; the counting happens on the
    locked row, not on what each request read."""
    ev.event.capacity = 1
    ev.event.save()
    a, b = _people(ev, 2)
    stale_a = Event.objects.get(pk=ev.event.pk)
    stale_b = Event.objects.get(pk=ev.event.pk)
    first = events.register(stale_a, acting_user=a.user)
    second = events.register(stale_b, acting_user=b.user)
    assert (first.state, second.state) == ("registered", "waitlisted")


@pytest.mark.django_db(transaction=True)
def test_two_people_racing_for_the_last_place(ev: SimpleNamespace, monkeypatch: Any) -> None:
    """Truly concurrent: each request sleeps between counting the places and writing its row;
    without the lock on the event both would get the last place."""
    ev.event.capacity = 1
    ev.event.save()
    racers = _people(ev, 2)
    counted = events.places_left

    def slow(*args: Any, **kwargs: Any) -> Any:
        left = counted(*args, **kwargs)
        time.sleep(0.5)
        return left

    monkeypatch.setattr(events, "places_left", slow)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(person: Any) -> None:
        try:
            start.wait()
            events.register(Event.objects.get(pk=ev.event.pk), acting_user=person.user)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(p,)) for p in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    states = sorted(Registration.objects.filter(event=ev.event).values_list("state", flat=True))
    if connection.vendor == "sqlite":
        # The test database is SQLite's shared in-memory one: the second writer is refused
        # ("table is locked") instead of waiting as it does on a file with WAL. Either way the
        # last place is never given twice.
        assert all("locked" in str(e) for e in errors) and len(errors) + len(states) == 2
        assert states.count("registered") == 1
    else:
        assert errors == []
        assert states == ["registered", "waitlisted"]


def test_registration_after_it_closes_is_refused_with_a_message(ev: SimpleNamespace) -> None:
    closed_at = timezone.now() - dt.timedelta(hours=1)
    Event.objects.filter(pk=ev.event.pk).update(registration_closes_at=closed_at)
    response = _register(ev.member, ev.event)
    assert not Registration.objects.exists()
    body = response.content.decode()
    local = timezone.localtime(closed_at)
    shown = f"{thaidate.format_date(local.date(), 'medium')} {local:%H:%M}"
    assert "alert" in body and shown in body and str(thaidate.to_be(local.year)) in body
    assert 'id="register"' not in body
    with pytest.raises(InvalidAction):
        events.register(Event.objects.get(pk=ev.event.pk), acting_user=ev.member.user)


@pytest.mark.parametrize("op", ["close", "cancel"])
def test_no_registration_when_closed_or_cancelled(ev: SimpleNamespace, op: str) -> None:
    (a,) = _people(ev, 1)
    _register(a, ev.event)
    client_for(ev.owner).post(reverse("communities:event_manage", args=[ev.event.pk]), {"op": op})
    ev.event.refresh_from_db()
    assert ev.event.state == {"close": "closed", "cancel": "cancelled"}[op]
    response = _register(ev.member, ev.event)
    assert not Registration.objects.filter(person=ev.member).exists()
    assert response.context["problem"] and response.context["problem"] in response.content.decode()
    if op == "cancel":
        assert Notification.objects.filter(kind="community.event_cancelled", recipient=a.user).exists()


def test_fewer_places_keep_those_registered_and_more_places_move_people_up(ev: SimpleNamespace) -> None:
    a, b, c, d = _people(ev, 4)
    for p in (a, b, c, d):
        _register(p, ev.event)
    edit = reverse("communities:event_edit", args=[ev.event.pk])
    client_for(ev.owner).post(edit, _form(capacity="1", version=ev.event.version))
    ev.event.refresh_from_db()
    assert ev.event.capacity == 1 and [_state(ev.event, p) for p in (a, b)] == ["registered", "registered"]
    page = client_for(ev.owner).get(ev.event.get_absolute_url())
    assert page.context["over"] == 1 and 'id="over-capacity"' in page.content.decode()
    _register(a, ev.event, op="cancel")  # still one over: nobody moves up
    assert _state(ev.event, c) == "waitlisted"
    client_for(ev.owner).post(edit, _form(capacity="3", version=ev.event.version))
    assert [_state(ev.event, p) for p in (b, c, d)] == ["registered", "registered", "registered"]
    assert Notification.objects.filter(kind="community.event_promoted").count() == 2


def test_an_edit_on_a_stale_version_is_refused_and_keeps_the_text(ev: SimpleNamespace) -> None:
    edit = reverse("communities:event_edit", args=[ev.event.pk])
    old = ev.event.version
    assert client_for(ev.owner).post(edit, _form(title="ชื่อใหม่", version=old)).status_code == 302
    response = client_for(ev.owner).post(edit, _form(title="ชื่อที่ทับ", version=old))
    ev.event.refresh_from_db()
    assert response.status_code == 200 and ev.event.title == "ชื่อใหม่"
    assert "ชื่อที่ทับ" in response.content.decode() and "alert-danger" in response.content.decode()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"start": "16:00", "end": "09:00"}, "end"),
        ({"day": "31/2/2570"}, "day"),
        ({"day": "วันพรุ่งนี้"}, "day"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "-5"}, "capacity"),
        ({"capacity": "9" * 25}, "capacity"),
        ({"capacity": "สามสิบ"}, "capacity"),
        ({"start": "25:99"}, "start"),
        ({"closes_day": be(DAY + dt.timedelta(days=3))}, "closes_day"),
        ({"end_day": be(DAY - dt.timedelta(days=1))}, "end_day"),
        ({"visibility": "everyone"}, "visibility"),
    ],
)
def test_bad_input_comes_back_with_a_message_and_nothing_lost(
    world: SimpleNamespace, extra: dict[str, str], field: str
) -> None:
    response = client_for(world.owner).post(
        reverse("communities:event_new", args=[world.a.code]), _form(**extra)
    )
    assert response.status_code == 200 and not Event.objects.exists()
    form = response.context["form"]
    assert form.errors.get(field), form.errors
    body = response.content.decode()
    assert "นำเสนอผลงาน PLC ของครู" in body and "alert-danger" in body
    for value in extra.values():
        assert f'value="{value}"' in body or field == "visibility"


def test_the_action_checks_what_the_form_checks(world: SimpleNamespace) -> None:
    starts = timezone.now() + dt.timedelta(days=3)
    good = {"title": "ศึกษาดูงาน", "kind": "study_visit", "visibility": "network",
            "starts_at": starts, "ends_at": starts + dt.timedelta(hours=6)}  # fmt: skip
    for bad, field in (({"capacity": 0}, "capacity"), ({"ends_at": starts}, "end"),
                       ({"registration_closes_at": starts + dt.timedelta(days=1)}, "closes_day"),
                       ({"kind": "party"}, "kind")):  # fmt: skip
        with pytest.raises(InvalidAction) as caught:
            events.create_event(world.a, {**good, **bad}, acting_user=world.owner.user)
        assert caught.value.field == field
    assert not Event.objects.exists()
    assert events.create_event(world.a, good, acting_user=world.owner.user).kind == "study_visit"


def test_a_facilitator_holds_an_event_for_their_community_only(world: SimpleNamespace) -> None:
    from platu.communities.models import Community, Member

    plc = Community.objects.create(organisation=world.a, name="PLC คณิต", network_path=world.a.network_path)
    Member.objects.create(community=plc, person=world.member, role=Member.Role.FACILITATOR)
    new = reverse("communities:event_new", args=[world.a.code])
    response = client_for(world.member).post(new, _form())
    assert response.status_code == 200 and response.context["form"].errors.get("community")
    assert client_for(world.member).post(new, _form(community=plc.pk)).status_code == 302
    event = Event.objects.get()
    assert event.community == plc and events.can_manage(world.member.user, event)
    response = client_for(world.member).post(new, _form(community=plc.pk, visibility="public"))
    assert response.status_code == 200 and Event.objects.count() == 1


# -- the programme and presented works ------------------------------------------------------------


def test_sessions_and_booths_join_the_programme(ev: SimpleNamespace) -> None:
    url = reverse("communities:event_slot", args=[ev.event.pk])
    owner = client_for(ev.owner)
    owner.post(url, {"slot-kind": "session", "slot-title": "เวทีเล่าเรื่อง", "slot-day": "", "slot-start": "10.30",
                     "slot-end": "12:00", "slot-place": "หอประชุม", "slot-presenters": "ครูมานี"})  # fmt: skip
    owner.post(url, {"slot-kind": "booth", "slot-title": "บูธสื่อการสอน", "slot-place": "บูธ 1"})
    slots = list(EventSlot.objects.filter(event=ev.event).order_by("pk"))
    assert [(s.kind, s.title) for s in slots] == [("session", "เวทีเล่าเรื่อง"), ("booth", "บูธสื่อการสอน")]
    assert timezone.localtime(slots[0].starts_at).date() == DAY and slots[1].starts_at is None
    bad = owner.post(
        url, {"slot-kind": "session", "slot-title": "ช่วงบ่าย", "slot-start": "15:00", "slot-end": "13:00"}
    )
    assert bad.status_code == 400 and "ช่วงบ่าย" in bad.content.decode() and EventSlot.objects.count() == 2
    assert client_for(ev.member).post(url, {"slot-kind": "booth", "slot-title": "แอบเพิ่ม"}).status_code == 302
    assert EventSlot.objects.count() == 2
    owner.post(url, {"op": "remove", "slot": slots[1].pk})
    assert list(EventSlot.objects.all()) == [slots[0]]
    assert AuditEntry.objects.filter(action="community.event_slot_add").count() == 2
    assert AuditEntry.objects.filter(action="community.event_slot_remove").exists()


def _item(org: Any, owner: Any, title: str, **fields: Any) -> Any:
    from platu.knowledge.models import Item

    fields.setdefault("state", "published")
    fields.setdefault("visibility", "organisation")
    return Item.objects.create(organisation=org, owner=owner, title=title, body="<p>x</p>", **fields)


def test_works_are_items_the_manager_may_read_and_viewers_see_only_theirs(ev: SimpleNamespace) -> None:
    mine = _item(ev.a, ev.member, "เรื่องเล่าการสอนอ่านคละชั้น")
    foreign = _item(ev.b, ev.outsider, "ความลับของโรงเรียนบ้านบี")
    draft = _item(ev.a, ev.owner, "ร่างที่ยังไม่เผยแพร่", state="draft")
    url = reverse("communities:event_work", args=[ev.event.pk])
    owner = client_for(ev.owner)
    page = owner.get(ev.event.get_absolute_url()).content.decode()
    assert mine.title in page and foreign.title not in page and draft.title not in page  # the picker
    for item in (foreign, draft):
        response = owner.post(url, {"work-item": item.pk, "work-slot": "", "work-presenters": "ใครก็ได้"})
        assert response.status_code == 400 and response.context["work_form"].errors.get("item")
        assert "ใครก็ได้" in response.content.decode()
    assert owner.post(url, {"work-item": "9" * 40}).status_code == 400
    assert not PresentedWork.objects.exists()
    with pytest.raises(InvalidAction):
        events.add_work(ev.event, foreign.pk, acting_user=ev.owner.user)
    response = owner.post(url, {"work-item": mine.pk, "work-slot": "", "work-presenters": "ครูมานี"})
    assert response.status_code == 302
    work = PresentedWork.objects.get()
    assert (work.item, work.presenters, work.added_by) == (mine, "ครูมานี", ev.owner.user)
    assert owner.post(url, {"work-item": mine.pk}).status_code == 400  # once per event
    assert AuditEntry.objects.filter(action="community.event_work_add", data__item=mine.pk).exists()
    # A member sees the link; someone who may see the event but not the item sees neither.
    body = client_for(ev.member).get(ev.event.get_absolute_url()).content.decode()
    assert f'href="{mine.get_absolute_url()}"' in body
    Event.objects.filter(pk=ev.event.pk).update(visibility="public")
    body = client_for(ev.outsider).get(ev.event.get_absolute_url()).content.decode()
    assert mine.title not in body and 'id="hidden-works"' in body
    owner.post(url, {"op": "remove", "work": work.pk})
    assert not PresentedWork.objects.exists()


# -- what the pages show --------------------------------------------------------------------------


def test_pages_show_buddhist_era_dates_and_labels_not_codes(ev: SimpleNamespace) -> None:
    a, b, c = _people(ev, 3)
    for p in (a, b, c):
        _register(p, ev.event)
    EventSlot.objects.create(event=ev.event, kind="booth", title="บูธหนึ่ง")
    be_year = str(thaidate.to_be(DAY.year))
    for person in (ev.owner, c):
        for url in (reverse("communities:events"), ev.event.get_absolute_url()):
            body = client_for(person).get(url).content.decode()
            text = re.sub(r"<[^>]+>", " ", body)  # what is read, not the markup
            assert be_year in text and str(DAY.year) not in text
            # (English words are msgids awaiting their Thai; codes are never shown)
            for code in ("share_and_show", "waitlisted", "registration_closes_at", "draft"):
                assert code not in text, (url, code)
    listing = client_for(ev.member).get(reverse("communities:list")).content.decode()
    assert f'href="{reverse("communities:events")}"' in listing


def test_every_event_action_has_a_readable_name(ev: SimpleNamespace) -> None:
    (a,) = _people(ev, 1)
    _register(a, ev.event)
    _register(a, ev.event, op="cancel")
    codes = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"community.event_create", "community.event_publish", "community.event_register",
            "community.event_unregister"} <= codes  # fmt: skip
    import inspect

    source = inspect.getsource(events)
    used = set(re.findall(r'(?<!kind=)"(community\.event_[a-z_]+)"', source))  # not notification kinds
    assert len(used) >= 13 and used - set(ACTION_LABELS) == set()


def test_the_list_page_keeps_its_query_count(ev: SimpleNamespace, django_assert_max_num_queries: Any) -> None:
    people = _people(ev, 6)
    for i in range(5):
        Event.objects.create(organisation=ev.a, title=f"งาน {i}", starts_at=ev.event.starts_at,
                             ends_at=ev.event.ends_at, state="open", visibility="organisation", capacity=3)  # fmt: skip
    for p in people:
        _register(p, ev.event)
    client = client_for(ev.member)
    client.get(reverse("communities:events"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("communities:events"))
    assert len(response.context["upcoming"]) == 6


def test_the_demo_event(world: SimpleNamespace) -> None:
    from platu.communities import demo_events
    from platu.orgs.models import Organisation

    district = Organisation.objects.create(code="snk-pesa1", kind="district_education_office", name_th="สพป.")
    usernames = [*demo_events.REGISTERED, *demo_events.WAITLISTED, demo_events.ORGANISER]
    people = {u: make_person(u, u, "ทดสอบ", org=district) for u in usernames}
    for i in range(4):
        _item(district, people["somporn.j"], f"แนวปฏิบัติที่ดี {i}", visibility="network")
    event = demo_events.build(people)
    assert event is not None and demo_events.build(people) == event and Event.objects.count() == 1
    slots = EventSlot.objects.filter(event=event)
    assert slots.filter(kind="session").count() == 2 and slots.filter(kind="booth").count() == 3
    assert PresentedWork.objects.filter(event=event).count() == 3
    states = list(Registration.objects.filter(event=event).values_list("state", flat=True))
    assert states.count("registered") == event.capacity and states.count("waitlisted") == 1
    page = client_for(people["jakkrit.h"]).get(event.get_absolute_url())
    assert page.status_code == 200 and page.context["position"] == 1
