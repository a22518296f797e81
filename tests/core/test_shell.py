import re
from types import SimpleNamespace

from django.test import Client
from django.urls import reverse

from platu.core.middleware import SESSION_ORG_KEY
from platu.orgs.models import Membership, MembershipRole


def test_the_shell_is_thai_even_for_an_english_browser(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.member.user)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="th"' in html
    assert "หน้าแรก" in html and "บุคลากร" in html and "Home" not in html
    assert "ข้ามไปยังเนื้อหาหลัก" in html  # skip link
    assert "ยินดีต้อนรับ" in html


def test_english_by_the_switch_and_back(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.member.user)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en"' in html and "Welcome" in html and "Skip to main content" in html
    client.post(reverse("set_language"), {"language": "th", "next": reverse("home")})
    assert "ยินดีต้อนรับ" in client.get(reverse("home")).content.decode()


def test_the_home_page_shows_be_dates_and_the_fiscal_year(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.member.user)
    html = client.get(reverse("home")).content.decode()
    assert re.search(r"ปีงบประมาณ 25\d\d", html)
    assert "โรงเรียนบ้านเอ" in html  # my organisation
    assert "คุณยังไม่ได้อยู่ในทีม KM" in html


def test_thai_digits_follow_the_organisation_setting(client: Client, world: SimpleNamespace) -> None:
    world.a.thai_digits = True
    world.a.save()
    client.force_login(world.member.user)
    html = client.get(reverse("home")).content.decode()
    assert re.search(r"ปีงบประมาณ ๒๕[๐-๙][๐-๙]", html)


def test_the_text_size_control_sets_a_lasting_choice(client: Client, world: SimpleNamespace) -> None:
    response = client.post(reverse("text_size"), {"size": "larger", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["platu_text_size"].value == "larger"
    assert 'class="text-larger"' in client.get("/").content.decode()
    client.post(reverse("text_size"), {"size": "huge<script>", "next": "https://evil.example/"})
    assert 'class="text-larger"' in client.get("/").content.decode()


def test_the_organisation_switcher_moves_between_my_organisations(
    client: Client, world: SimpleNamespace
) -> None:
    second = Membership.objects.create(person=world.member, organisation=world.parent)
    MembershipRole.objects.create(membership=second, role="member")
    client.force_login(world.member.user)
    html = client.get(reverse("home")).content.decode()
    assert 'id="org-switcher"' in html
    response = client.post(reverse("switch_organisation"), {"organisation": world.parent.pk, "next": "/"})
    assert response.status_code == 302
    assert client.session[SESSION_ORG_KEY] == world.parent.pk
    # Not one of mine: 404, nothing changes.
    response = client.post(reverse("switch_organisation"), {"organisation": world.b.pk})
    assert response.status_code == 404
    assert client.session[SESSION_ORG_KEY] == world.parent.pk


def test_every_asset_is_served_locally(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.owner.user)
    html = client.get(reverse("home")).content.decode()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert assets, "the page loads its styles and scripts"
    assert all(a.startswith("/static/") for a in assets), assets
    for path in [
        "vendor/bootstrap/css/bootstrap.min.css",
        "django_htmx/htmx-2.min.js",
        "vendor/sarabun/Sarabun-Regular.ttf",
    ]:
        assert client.get("/static/" + path).status_code == 200, path


def test_every_form_field_has_a_label(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.owner.user)
    for url in [
        reverse("home"),
        reverse("directory"),
        reverse("member_invite", args=[world.a.code]),
        reverse("team_detail", args=[world.a.code, world.team.pk]),
        reverse("person_edit", args=[world.owner.pk]),
    ]:
        html = client.get(url).content.decode()
        ids = re.findall(
            r'<(?:input|select|textarea)(?![^>]*type="(?:hidden|submit)")[^>]*\bid="([^"]+)"', html
        )
        for field_id in ids:
            assert f'for="{field_id}"' in html, (url, field_id)


def test_unknown_pages_answer_a_friendly_404(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.owner.user)
    response = client.get("/orgs/no-such-org/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()
