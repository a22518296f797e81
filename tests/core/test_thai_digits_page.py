"""One style of digits on a page (issue 16, part 11): an organisation that asked for Thai digits
sees every number of a page's text in them; what forms post and scripts read is unchanged."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from platu.lib.htmldigits import convert
from tests.planning.conftest import client_for, pw  # noqa: F401 - fixture

SKIP = re.compile(r"<(script|style|textarea|pre|code)\b.*?</\1>|<!--.*?-->|<[^>]+>|&#?\w+;", re.S | re.I)


def text_digits(html: str) -> list[str]:
    main = html[html.index("<body") :]
    return re.findall(r"[0-9]+", SKIP.sub(" ", main))


@pytest.mark.parametrize("page", ["home", "plan", "ws1", "ws2", "action-plan"])
def test_a_thai_digit_organisation_sees_no_arabic_digit_in_text(pw: SimpleNamespace, page: str) -> None:  # noqa: F811
    pw.a.thai_digits = True
    pw.a.save()
    client = client_for(pw.lead)
    target = {
        "home": reverse("home"),
        "plan": pw.plan.get_absolute_url(),
    }.get(page) or reverse("planning:sheet", args=[pw.a.code, pw.plan.fiscal_year, page])
    html = client.get(target).content.decode()
    assert text_digits(html) == [], (page, text_digits(html)[:10])
    assert "๒๕๖๙" in html
    if page == "action-plan":  # form values stay as typed: the B.E. date input posts 1/10/2568
        assert 'value="1/10/2568"' in html


def test_english_mode_and_other_organisations_keep_arabic_digits(pw: SimpleNamespace) -> None:  # noqa: F811
    client = client_for(pw.lead)
    assert "2569" in client.get(pw.plan.get_absolute_url()).content.decode()
    pw.a.thai_digits = True
    pw.a.save()
    client.cookies["django_language"] = "en"
    assert "2569" in client.get(pw.plan.get_absolute_url()).content.decode()


def test_markup_entities_and_raw_text_are_left_alone() -> None:
    html = (
        '<p title="a1">ใบงานที่ 2 &#39;</p><script>x=1<2</script><textarea>12</textarea><a href="/x/2/">3</a>'
    )
    assert (
        convert(html)
        == '<p title="a1">ใบงานที่ ๒ &#39;</p><script>x=1<2</script><textarea>12</textarea><a href="/x/2/">๓</a>'
    )


def test_codes_file_names_and_addresses_keep_their_digits() -> None:
    html = "<p>รหัส snk-pesa1 · 127.0.0.1 · snk-pesa1-2570-booklet.pdf · เขต 1 · 12,500.00</p>"
    assert (
        convert(html) == "<p>รหัส snk-pesa1 · 127.0.0.1 · snk-pesa1-2570-booklet.pdf · เขต ๑ · ๑๒,๕๐๐.๐๐</p>"
    )


def test_a_thai_digit_organisations_pdf_has_one_style_of_digits(pw: SimpleNamespace, tmp_path: Any) -> None:  # noqa: F811
    import subprocess

    from platu.planning import documents

    pw.a.thai_digits = True
    pw.a.save()
    path = tmp_path / "form2.pdf"
    path.write_bytes(documents.render(pw.plan, "action-plan", "pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "แบบฟอร์ม ๒" in text and not re.search(r"(?<![A-Za-z.-])[0-9]+(?![A-Za-z])", text), re.findall(
        r"\S*[0-9]+\S*", text
    )[:10]
