from types import SimpleNamespace
from typing import Any

from django.test import Client
from django.urls import reverse

from platu.audit.models import AuditEntry
from platu.orgs.models import Person
from tests.conftest import make_person


def test_the_directory_sorts_in_thai_order_ignoring_titles(client: Client, world: SimpleNamespace) -> None:
    make_person("x1", "เกศินี", "ทอง", org=world.a, title="นางสาว")
    make_person("x2", "กมล", "ดี", org=world.a, title="ดร.")
    make_person("x3", "ไก่", "ขัน", org=world.a)
    client.force_login(world.member.user)
    html = client.get(reverse("directory")).content.decode()
    html = html[html.index('id="results"') :]
    order = [html.index(n) for n in ["กมล", "เกศินี", "ไก่", "มานี", "สมชาย"]]
    assert order == sorted(order)
    assert "ปิติ" not in html  # outsider's organisation


def test_the_directory_finds_part_of_a_thai_name_as_you_type(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.owner.user)
    response = client.get(reverse("directory"), {"q": "มาน"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # the results partial only
    assert "มานี" in html and "สมชาย" not in html


def test_the_directory_searches_position_and_expertise(client: Client, world: SimpleNamespace) -> None:
    world.member.expertise = "การสอนภาษาไทย, สะเต็มศึกษา"
    world.member.save()
    client.force_login(world.owner.user)
    assert "มานี" in client.get(reverse("directory"), {"q": "สะเต็ม"}).content.decode()
    assert "สมชาย" in client.get(reverse("directory"), {"q": "ผู้อำนวยการ"}).content.decode()
    assert "สมชาย" in client.get(reverse("directory"), {"q": "สมชาย ใจดี"}).content.decode()


def test_directory_query_count_is_fixed(
    client: Client, world: SimpleNamespace, django_assert_num_queries: Any
) -> None:
    client.force_login(world.supervisor.user)
    url = reverse("directory")
    client.get(url)
    with django_assert_num_queries(11):
        client.get(url)
    for i in range(20):
        make_person(f"bulk{i}", f"ครู{i}", "เพิ่ม", org=world.a, roles=["member", "practitioner"])
    with django_assert_num_queries(11):
        response = client.get(url)
    assert "ครู19" in response.content.decode()


def test_a_person_page_shows_memberships_teams_and_expertise(client: Client, world: SimpleNamespace) -> None:
    world.owner.expertise = "การนิเทศ, PLC"
    world.owner.save()
    client.force_login(world.member.user)
    html = client.get(reverse("person_detail", args=[world.owner.pk])).content.decode()
    assert "โรงเรียนบ้านเอ" in html and "ทีม KM โรงเรียนบ้านเอ" in html and "PLC" in html


def test_people_edit_their_own_details(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.member.user)
    response = client.post(
        reverse("person_edit", args=[world.member.pk]),
        {"version": 1, "title": "นาง", "first_name": "มานี", "last_name": "มีนา", "phone": "081 234 5678"},
    )
    assert response.status_code == 302
    world.member.refresh_from_db()
    assert world.member.phone == "081 234 5678" and world.member.version == 2
    assert AuditEntry.objects.filter(action="person.update", organisation=world.a).exists()


def test_a_member_cannot_edit_a_colleague(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.member.user)
    response = client.post(
        reverse("person_edit", args=[world.owner.pk]), {"first_name": "แฮก", "last_name": "เกอร์"}
    )
    assert response.status_code == 403
    assert Person.objects.get(pk=world.owner.pk).first_name == "สมชาย"


def test_invalid_input_keeps_what_was_typed(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.member.user)
    response = client.post(
        reverse("person_edit", args=[world.member.pk]),
        {"version": 1, "first_name": "", "last_name": "นามสกุลที่พิมพ์ไว้", "email": "not-an-email"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "นามสกุลที่พิมพ์ไว้" in html and "not-an-email" in html
    assert Person.objects.get(pk=world.member.pk).last_name == "มีนา"
