"""The evidence pack: one ZIP per plan with the progress reports, the year-end summary and every
evidence file, indexed by activity (index.csv, index.html) — what auditors and the OPDC/PMQA
category-4 assessors ask for."""

from __future__ import annotations

import csv
import io
import re
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass, field
from html import escape
from typing import IO

from django.utils import timezone

from platu.exports.document import (
    Style,
)
from platu.lib import thaidate
from platu.planning.models import Plan
from platu.tracking.documents import (
    EVIDENCE_TH,
    entries_of,
    progress_document,
    rounds_of,
    style_of,
    year_end_document,
)
from platu.tracking.models import Evidence

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
# Already compressed: stored as they are.
_STORED = (
    "image/",
    "video/",
    "audio/",
    "application/pdf",
    "application/zip",
    "application/vnd.openxmlformats",
)


def safe_name(text: str, limit: int = 120, *, keep_extension: bool = True) -> str:
    """A file or folder name that stays where it is put: no slashes, "..", control or
    Windows-reserved characters; at most `limit` characters, keeping a file's extension."""
    text = unicodedata.normalize("NFC", text or "")
    text = " ".join(_UNSAFE.sub("_", text).split())
    text = re.sub(r"\.{2,}", ".", text).strip(" .")
    if len(text) > limit:
        stem, dot, ext = text.rpartition(".")
        if keep_extension and dot and stem and 0 < len(ext) <= 10:
            text = stem[: limit - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            text = text[:limit].rstrip(" .")
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    return text or "file"


def _unique(path: str, used: set[str]) -> str:
    if path not in used:
        used.add(path)
        return path
    folder, _sep, name = path.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    stem, ext = (stem, f".{ext}") if dot and stem else (name, "")
    n = 2
    while f"{folder}/{stem} ({n}){ext}" in used:
        n += 1
    used.add(f"{folder}/{stem} ({n}){ext}")
    return f"{folder}/{stem} ({n}){ext}"


@dataclass
class IndexRow:
    number: int
    activity: str
    months: int
    kind: str
    name: str
    path: str = ""  # the file inside the pack
    url: str = ""
    size: int = 0
    sha256: str = ""
    note: str = ""
    added: str = ""


@dataclass
class Pack:
    reports: list[str] = field(default_factory=list)
    rows: list[IndexRow] = field(default_factory=list)
    files: int = 0
    missing: int = 0


INDEX_HEADER = ["ลำดับกิจกรรม", "กิจกรรม", "รอบ (เดือน)", "ประเภทหลักฐาน", "ชื่อ", "ไฟล์ในชุดเอกสาร", "ที่อยู่",
                "ขนาด (ไบต์)", "SHA-256", "หมายเหตุ", "วันที่เพิ่ม"]  # fmt: skip


def _csv_text(value: object) -> str:
    text = str(value)
    # A cell Excel would read as a formula is written as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def index_csv(rows: list[IndexRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(INDEX_HEADER)
    for r in rows:
        writer.writerow([r.number, _csv_text(r.activity), r.months, r.kind, _csv_text(r.name), r.path,
                         _csv_text(r.url), r.size or "", r.sha256, _csv_text(r.note), r.added])  # fmt: skip
    return out.getvalue().encode("utf-8-sig")  # with a BOM, Excel reads the Thai


def index_html(plan: Plan, pack: Pack, style: Style) -> bytes:
    org = plan.organisation
    title = f"ชุดหลักฐานการดำเนินงานตามแผนการจัดการความรู้ {org.name_th} ปีงบประมาณ {style.year(plan.fiscal_year)}"
    parts = [
        '<!doctype html><html lang="th"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        "<style>body{font-family:Sarabun,'TH Sarabun New',Tahoma,sans-serif;margin:2em}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:3px 6px;vertical-align:top}</style>",
        f"</head><body><h1>{escape(title)}</h1><h2>รายงาน</h2><ul>",
        *[f'<li><a href="{escape(p)}">{escape(p)}</a></li>' for p in pack.reports],
        "</ul><h2>หลักฐานแยกตามกิจกรรม</h2>",
    ]
    groups: dict[tuple[int, str], list[IndexRow]] = {}
    for r in pack.rows:
        groups.setdefault((r.number, r.activity), []).append(r)
    if not groups:
        parts.append("<p>ไม่มีหลักฐานที่บันทึกไว้</p>")
    for (number, activity), rows in sorted(groups.items()):
        parts.append(f"<h3>{number}. {escape(activity)}</h3><table><tr><th>รอบ</th><th>ประเภท</th><th>หลักฐาน</th>"
                     "<th>หมายเหตุ</th></tr>")  # fmt: skip
        for r in rows:
            target = r.path or r.url
            name = escape(r.name or r.url or "-")
            link = f'<a href="{escape(target)}">{name}</a>' if target else name
            if r.url and not r.path:
                link += f"<br><small>{escape(r.url)}</small>"
            elif r.kind == EVIDENCE_TH["file"] and not r.path:
                link += " <small>(ไม่พบไฟล์)</small>"
            parts.append(f"<tr><td>{r.months} เดือน</td><td>{escape(r.kind)}</td><td>{link}</td>"
                         f"<td>{escape(r.note)}</td></tr>")  # fmt: skip
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


def _copy_file(zf: zipfile.ZipFile, evidence: Evidence, path: str) -> bool:
    """Copy an evidence file into the pack in chunks; False when it is not in storage."""
    try:
        source = evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        return False
    with source:
        info = zipfile.ZipInfo(path, date_time=timezone.localtime(evidence.added_at).timetuple()[:6])
        info.compress_type = (
            zipfile.ZIP_STORED if evidence.content_type.startswith(_STORED) else zipfile.ZIP_DEFLATED
        )
        with zf.open(info, "w", force_zip64=evidence.size >= 2**31 - 2**20) as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
    return True


def write_evidence_pack(plan: Plan, out: IO[bytes], *, base_url: str = "") -> Pack:
    """Write the plan's evidence pack as a ZIP into `out`: reports/ (the progress report of
    every round and the year-end summary, PDF), evidence/<n>-<activity>/<file> (the same file
    once per folder), index.csv and index.html listing every piece of evidence once."""
    from platu.exports import pdf

    style = style_of(plan)
    rounds = rounds_of(plan)
    pack = Pack()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for doc in [*(progress_document(r) for r in rounds), year_end_document(plan)]:
            path = f"reports/{safe_name(doc.filename)}.pdf"
            zf.writestr(path, pdf.render(doc))
            pack.reports.append(path)
        used: set[str] = set()
        stored: dict[tuple[str, str], str] = {}  # (folder, sha256) -> path
        for row in rounds:
            for number, entry in enumerate(entries_of(row), start=1):
                activity = entry.activity.name
                folder = f"evidence/{number:02d}-{safe_name(activity, 40, keep_extension=False)}"
                for ev in entry.evidence.all():
                    r = IndexRow(number, activity, row.months, EVIDENCE_TH.get(ev.kind, ev.kind), ev.name,
                                 note=ev.note, added=timezone.localtime(ev.added_at).date().isoformat() if ev.added_at else "")  # fmt: skip
                    if ev.kind == Evidence.Kind.FILE:
                        r.size, r.sha256 = ev.size, ev.sha256
                        key = (folder, ev.sha256)
                        if ev.sha256 and key in stored:
                            r.path = stored[key]
                        elif ev.file:
                            path = _unique(f"{folder}/{safe_name(ev.name)}", used)
                            if _copy_file(zf, ev, path):
                                r.path = stored[key] = path
                                pack.files += 1
                            else:
                                used.discard(path)
                        if not r.path:
                            pack.missing += 1
                    elif ev.kind == Evidence.Kind.ITEM:
                        r.name = ev.item.title if ev.item else ev.name
                        r.url = base_url + ev.item.get_absolute_url() if ev.item else ""
                    elif ev.kind == Evidence.Kind.SESSION:
                        if ev.session:
                            day = timezone.localtime(ev.session.starts_at).date()
                            r.name = f"{ev.session.title} ({thaidate.format_date(day, 'medium')})"
                            r.url = base_url + ev.session.get_absolute_url()
                    else:
                        r.url = ev.url
                    pack.rows.append(r)
        zf.writestr("index.csv", index_csv(pack.rows))
        zf.writestr("index.html", index_html(plan, pack, style))
    return pack


def evidence_pack(plan: Plan, *, base_url: str = "") -> bytes:
    """The evidence pack in memory (for small plans and tests; the view writes a temporary file)."""
    out = io.BytesIO()
    write_evidence_pack(plan, out, base_url=base_url)
    return out.getvalue()


def pack_filename(plan: Plan) -> str:
    return f"{plan.organisation.code}-{plan.fiscal_year}-evidence-pack.zip"
