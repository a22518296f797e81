"""Uploaded files that are public (organisation logos) are served by Platu itself, safely; the
favicon answers."""

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.orgs.test_organisation_edit import form, png_bytes


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def upload_logo(client: Client, world: SimpleNamespace) -> str:
    client.force_login(world.owner.user)
    logo = SimpleUploadedFile("ตรา.png", png_bytes(), content_type="image/png")
    response = client.post(reverse("organisation_edit", args=[world.a.code]), form(world.a, logo=logo))
    assert response.status_code == 302
    world.a.refresh_from_db()
    return str(world.a.logo.url)


def test_it_serves_an_organisation_logo_as_an_image(client: Client, world: SimpleNamespace) -> None:
    url = upload_logo(client, world)
    assert url in client.get(reverse("organisation_detail", args=[world.a.code])).content.decode()
    response = Client().get(url)  # logos are public, like the organisation's name
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in response.get("Content-Disposition", "")
    assert "sandbox" in response["Content-Security-Policy"]
    assert body(response) == png_bytes()
    assert Client().head(url).status_code == 200


def test_it_serves_only_files_that_are_public(client: Client, world: SimpleNamespace, settings: Any) -> None:
    upload_logo(client, world)
    media = Path(settings.MEDIA_ROOT)
    (media / "knowledge" / "ab").mkdir(parents=True)
    (media / "knowledge" / "ab" / "abcd").write_bytes(b"PRIVATE-ATTACHMENT")
    (media / "logos" / "not-a-logo.png").write_bytes(png_bytes())  # on disk, but nobody's logo
    (media / "secret.txt").write_bytes(b"TOP-SECRET")
    for path in [
        "knowledge/ab/abcd",
        "logos/not-a-logo.png",
        "secret.txt",
        "logos/../secret.txt",
        "logos/%2e%2e/secret.txt",
        "logos/..%2fsecret.txt",
        "logos/%2e%2e%5csecret.txt",
        "logos//etc/passwd",
        "logos/",
        "/etc/passwd",
        "logos/%00.png",
    ]:
        response = client.get(f"/media/{path}")
        assert response.status_code == 404, path
        assert b"TOP-SECRET" not in body(response) and b"PRIVATE-" not in body(response), path


def test_a_logo_that_is_not_an_image_is_downloaded_not_shown(
    client: Client, world: SimpleNamespace, settings: Any
) -> None:
    media = Path(settings.MEDIA_ROOT)
    (media / "logos").mkdir(parents=True)
    (media / "logos" / "page.html").write_bytes(b"<script>alert(1)</script>")
    world.a.logo = "logos/page.html"  # e.g. set by hand in the admin
    world.a.save(update_fields=["logo"])
    response = Client().get("/media/logos/page.html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_answers_with_a_favicon(client: Client, world: SimpleNamespace) -> None:
    html = client.get(reverse("home")).content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[0][0].endswith(".svg")
    assert b"<svg" in body(response)
