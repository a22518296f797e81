"""Certificates (เกียรติบัตร) as PDF in the official Thai layout, and an Open Badges 3.0
credential for each.

A certificate is one landscape page with a frame, the organisation's logo and name, the title,
"ขอมอบเกียรติบัตรฉบับนี้ให้ไว้เพื่อแสดงว่า", the winner, the award, "ให้ไว้ ณ วันที่ …" and the
head's signature block: platu/exports' document blocks print the running header and page numbers
of forms, so the certificate has its own WeasyPrint template, rendered through the same Sarabun
font setup as platu/exports/pdf.py (embedded fonts, Thai word breaks, SARA AM written in parts so
it copies out of the PDF whole, Thai digits when the organisation uses them). A QR code and the
public address verify it.

The Open Badges credential is an unsigned OpenBadgeCredential (no proof): it is served from the
same public address as the verification page, which is what vouches for it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from platu.awards.models import Certificate, CommitteeMember, Programme
from platu.lib import thaidate
from platu.orgs.models import Organisation, Person, Role

LEVEL_TH: dict[str, str] = {
    Programme.Level.SCHOOL: "ระดับสถานศึกษา",
    Programme.Level.DISTRICT: "ระดับเขตพื้นที่การศึกษา",
    Programme.Level.REGION: "ระดับภาค",
    Programme.Level.NATIONAL: "ระดับชาติ",
}


def absolute(path: str, request: Any = None) -> str:
    if request is not None:
        return str(request.build_absolute_uri(path))
    return settings.PLATU_BASE_URL.rstrip("/") + path


def verify_url(certificate: Certificate, request: Any = None) -> str:
    return absolute(reverse("awards:verify", args=[certificate.code]), request)


def head_of(org: Organisation) -> Person | None:
    return (
        Person.objects.filter(memberships__organisation=org, memberships__role_rows__role=Role.CEO)
        .order_by("pk")
        .first()
    )


def given_on(day: dt.date) -> str:
    """ "ให้ไว้ ณ วันที่ 30 พฤศจิกายน พ.ศ. 2569" (the date of issue as certificates write it)."""
    return f"ให้ไว้ ณ วันที่ {day.day} {thaidate.MONTHS_FULL[day.month - 1]} พ.ศ. {thaidate.to_be(day.year)}"


def context(certificate: Certificate, request: Any = None) -> dict[str, Any]:
    award = certificate.award
    programme = award.programme
    org = programme.organisation
    head = head_of(org)
    chair = (
        CommitteeMember.objects.filter(programme=programme, is_chair=True).select_related("person").first()
    )
    return {
        "certificate": certificate, "award": award, "programme": programme, "org": org,
        "level": LEVEL_TH.get(programme.level, ""), "given_on": given_on(certificate.issued_on),
        "head": head, "head_position": (head.position if head and head.position else f"ผู้บริหาร{org.name_th}"),
        "chair": chair.person if chair else None, "verify_url": verify_url(certificate, request),
        "revoked": certificate.revoked_at is not None,
    }  # fmt: skip


def html(certificate: Certificate, request: Any = None) -> str:
    import segno

    from platu.exports.pdf import FONT_DIR, break_thai_words, decompose_sara_am
    from platu.lib.htmldigits import convert

    data = context(certificate, request)
    org: Organisation = data["org"]
    data["qr"] = segno.make(data["verify_url"], error="m").png_data_uri(scale=3, border=1)
    data["font_dir"] = FONT_DIR.as_uri()
    data["logo"] = ""
    if org.logo:
        try:
            data["logo"] = org.logo.path and f"file://{org.logo.path}"
        except (NotImplementedError, ValueError):
            data["logo"] = ""
    page: str = render_to_string("awards/certificate_pdf.html", data)
    if org.thai_digits:
        page = convert(page)
    return decompose_sara_am(break_thai_words(page))


def render(certificate: Certificate, request: Any = None) -> bytes:
    from weasyprint import HTML

    from platu.exports.pdf import FONT_DIR

    pdf: bytes = HTML(string=html(certificate, request), base_url=str(FONT_DIR)).write_pdf()
    return pdf


def filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.award.programme.fiscal_year}-{certificate.pk}"


def open_badge(certificate: Certificate, request: Any = None) -> dict[str, Any]:
    """An OpenBadgeCredential (Open Badges 3.0, JSON-LD), unsigned."""
    award = certificate.award
    programme = award.programme
    org = programme.organisation
    org_url = absolute(reverse("organisation_detail", args=[org.code]), request)
    criteria = "; ".join(f"{c.name} (น้ำหนัก {c.weight})" for c in programme.criteria.all())
    issued = dt.datetime.combine(
        certificate.issued_on, dt.time(0, 0), tzinfo=dt.timezone(dt.timedelta(hours=7))
    )
    credential: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": verify_url(certificate, request),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{award.placement} {award.category.name} · {programme.title}",
        "issuer": {"id": org_url, "type": ["Profile"], "name": org.name_th, "url": org_url},
        "validFrom": issued.isoformat(),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": certificate.recipient_name,
                    "identityType": "name",
                    "hashed": False,
                }
            ],
            "achievement": {
                "id": absolute(programme.get_absolute_url(), request) + f"#category-{award.category_id}",
                "type": ["Achievement"],
                "achievementType": "Award",
                "name": f"{award.placement} {award.category.name}",
                "description": " ".join(
                    x
                    for x in (
                        programme.title,
                        LEVEL_TH.get(programme.level, ""),
                        f"ปีงบประมาณ พ.ศ. {programme.fiscal_year}",
                        f"ผลงาน “{award.work_title}”" if award.work_title else "",
                    )
                    if x
                ),
                "criteria": {
                    "narrative": f"คัดเลือกโดยคณะกรรมการตามเกณฑ์: {criteria}"
                    if criteria
                    else programme.description
                },
                "creator": {"id": org_url, "type": ["Profile"], "name": org.name_th},
            },
        },
    }
    if certificate.revoked_at is not None:
        credential["validUntil"] = certificate.revoked_at.isoformat()
    return credential
