import io
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from platu.audit.models import AuditEntry
from platu.orgs.models import Organisation


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (11, 58, 94)).save(buffer, "PNG")
    return buffer.getvalue()


def form(org: Organisation, **extra: Any) -> dict[str, Any]:
    return {
        "version": org.version,
        "name_th": org.name_th,
        "name_en": "",
        "kind": org.kind,
        "default_visibility": org.default_visibility,
        **extra,
    }


def test_an_admin_turns_on_thai_digits_and_uploads_a_logo(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.owner.user)
    logo = SimpleUploadedFile("ตรา.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("organisation_edit", args=[world.a.code]), form(world.a, thai_digits="on", logo=logo)
    )
    assert response.status_code == 302
    world.a.refresh_from_db()
    assert world.a.thai_digits and world.a.logo.name.startswith("logos/")
    assert world.a.version == 2
    entry = AuditEntry.objects.get(action="org.update")
    assert entry.data["changed"]["thai_digits"] is True
    html = client.get(reverse("organisation_detail", args=[world.a.code])).content.decode()
    assert world.a.logo.url in html


def test_new_knowledge_starts_with_the_organisations_default_visibility(
    client: Client, world: SimpleNamespace
) -> None:
    from platu.knowledge import actions

    client.force_login(world.owner.user)
    edit = reverse("organisation_edit", args=[world.a.code])
    assert 'name="default_visibility"' in client.get(edit).content.decode()
    response = client.post(edit, form(world.a, default_visibility="network", review_quorum="2"))
    assert response.status_code == 302
    world.a.refresh_from_db()
    assert world.a.default_visibility == "network" and world.a.review_quorum == 2
    assert AuditEntry.objects.get(action="org.update").data["changed"]["default_visibility"] == "network"
    page = client.get("/knowledge/new/").content.decode()
    assert '<option value="network" selected>' in page
    item = actions.create_item(world.a, acting_user=world.member.user, title="เรื่องเล่า")
    assert item.visibility == "network"
    other = actions.create_item(world.b, acting_user=world.outsider.user, title="เรื่องเล่า")
    assert other.visibility == "organisation"


def test_a_file_that_is_not_an_image_is_refused(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.owner.user)
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client.post(reverse("organisation_edit", args=[world.a.code]), form(world.a, logo=fake))
    assert response.status_code == 200
    world.a.refresh_from_db()
    assert not world.a.logo


def test_a_logo_over_the_limit_is_refused_with_its_size(
    client: Client, world: SimpleNamespace, settings: Any
) -> None:
    settings.PLATU_LOGO_MAX_BYTES = 50
    client.force_login(world.owner.user)
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = client.post(reverse("organisation_edit", args=[world.a.code]), form(world.a, logo=logo))
    assert response.status_code == 200
    assert "ใหญ่เกินไป" in response.content.decode()


def test_site_staff_use_the_django_admin(client: Client, world: SimpleNamespace) -> None:
    from platu.accounts.models import User

    staff = User.objects.create_superuser("staff", "staff@example.go.th", "x" * 16)
    client.force_login(staff)
    for url in ["/admin/", "/admin/orgs/organisation/", "/admin/orgs/person/", "/admin/audit/auditentry/"]:
        assert client.get(url).status_code == 200, url
    assert "โรงเรียนบ้านเอ" in client.get("/admin/orgs/organisation/").content.decode()
    client.force_login(world.owner.user)
    assert client.get("/admin/").status_code == 302  # not staff: the admin login page
