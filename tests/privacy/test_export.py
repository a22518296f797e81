"""A person's download: built by the task queue into a private ZIP (data.json and their files),
downloadable only by them through a signed link, until it expires and housekeeping deletes it."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from types import SimpleNamespace
from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from platu.knowledge import actions as knowledge_actions
from platu.knowledge.models import Attachment
from platu.privacy import housekeeping
from platu.privacy.models import DataExport
from platu.privacy.views import download_url
from tests.privacy.conftest import EMAIL, FIRST, client_for


def _export(w: SimpleNamespace, capture: Any) -> DataExport:
    client = client_for(w.subject.user)
    with_files = knowledge_actions.create_item(
        w.a, acting_user=w.subject.user, title="ความรู้ของฉัน", body="<p>x</p>"
    )
    Attachment.objects.create(
        item=with_files, name="แผนการสอน.txt", content_type="text/plain", size=9, uploaded_by=w.subject.user,
        file=ContentFile(b"lesson-01", name="plan.txt"),
    )  # fmt: skip
    with capture(execute=True):  # the task is queued when the request's transaction commits
        assert client.post(reverse("privacy:export")).status_code == 302
    return DataExport.objects.get(user=w.subject.user)


def test_the_download_holds_their_data_and_files(
    pw: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    w = pw
    from platu.audit.log import record

    record("person.update", actor=w.owner.user, obj=w.subject, organisation=w.a, data={"changed": ["phone"]})
    row = _export(w, django_capture_on_commit_callbacks)
    assert row.state == DataExport.State.READY and row.expires_at is not None
    assert row.expires_at - timezone.now() > dt.timedelta(days=6)
    client = client_for(w.subject.user)
    page = client.get(reverse("privacy:my_data")).content.decode()
    url = download_url(row)
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    data = json.loads(archive.read("data.json"))
    person = data["tables"]["orgs.Person"]["rows"][0]
    assert person["first_name"] == FIRST and person["email"] == EMAIL
    assert data["tables"]["knowledge.Item"]["rows"][0]["title"] == "ความรู้ของฉัน"
    assert "password" not in data["tables"]["accounts.User"]["rows"][0]
    assert [a["action"] for a in data["audit_about_you"]] == ["person.update"]
    files = [n for n in archive.namelist() if n.startswith("files/knowledge.attachment/")]
    assert files and archive.read(files[0]) == b"lesson-01"


def test_another_person_cannot_download_it(
    pw: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    row = _export(pw, django_capture_on_commit_callbacks)
    assert row.state == DataExport.State.READY
    assert client_for(pw.subject.user).get(download_url(row)).status_code == 200
    url = download_url(row)
    assert client_for(pw.member.user).get(url).status_code == 404
    assert client_for(pw.staff).get(url).status_code == 404
    assert client_for(pw.subject.user).get(url[:-3] + "xyz/").status_code == 404


def test_an_expired_download_is_refused_then_deleted(
    pw: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    from platu.privacy.export import private_dir

    row = _export(pw, django_capture_on_commit_callbacks)
    url = download_url(row)
    assert (private_dir() / row.path).exists()
    DataExport.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client_for(pw.subject.user).get(url).status_code == 404
    assert "1 download(s) expired" in housekeeping.retention()
    row.refresh_from_db()
    assert row.state == DataExport.State.EXPIRED and not (private_dir() / f"export-{row.pk}").exists()
    assert not list(private_dir().glob(f"export-{row.pk}-*"))
