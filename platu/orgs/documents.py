"""Worksheets 5 and 6 of the KM model (seed 003): an organisation's KM teams as
`exports.document.Document`s, rendered to PDF, DOCX and XLSX by platu/exports/.

Worksheet 5 is the KM team of one strategic issue (its issue, goal and needed knowledge above
the members); worksheet 6 is the organisation's own KM team. Like every official form they are
printed in Thai whatever language the user reads the site in."""

from __future__ import annotations

from typing import Any

from platu.exports.document import Cell, Column, Document, Fields, Heading, Paragraph, Section, Style, Table
from platu.orgs.models import Organisation, Team, TeamMember, TeamRole

SHEETS = (5, 6)
# Worksheet 5: teams of a strategic issue; worksheet 6: the organisation's (and its agencies') teams.
SHEET_KINDS = {5: (Team.Kind.STRATEGIC,), 6: (Team.Kind.KM_TEAM, Team.Kind.AGENCY)}
SHEET_TITLES = {
    5: "ทีมงานจัดการความรู้ตามประเด็นยุทธศาสตร์ (KM Team)",
    6: "ทีมงานจัดการความรู้ (KM Team) ของส่วนราชการ/องค์กร",
}
# The roles as the printed forms name them ("ทำหน้าที่เป็น").
TEAM_ROLE_TH: dict[str, str] = {
    TeamRole.ADVISOR: "ที่ปรึกษา",
    TeamRole.CEO: "CEO",
    TeamRole.CKO: "CKO",
    TeamRole.CHAIR: "ประธาน",
    TeamRole.VICE_CHAIR: "รองประธาน",
    TeamRole.LEAD: "หัวหน้าทีม",
    TeamRole.DEPUTY: "รองหัวหน้า",
    TeamRole.MEMBER: "KM Team",
    TeamRole.SECRETARY: "เลขานุการ",
    TeamRole.ASSISTANT_SECRETARY: "ผู้ช่วยเลขานุการ",
}


def style_of(org: Organisation) -> Style:
    return Style(thai_digits=org.thai_digits)


def sheet_of(team: Team) -> int | None:
    """The worksheet a team is printed on (None: a committee or a brain bank)."""
    return next((sheet for sheet, kinds in SHEET_KINDS.items() if team.kind in kinds), None)


def members_table(team: Team, style: Style) -> Table:
    members = TeamMember.objects.filter(team=team).select_related("person")
    member_word = "KM Team" if sheet_of(team) else "กรรมการ"
    rows = [
        [
            Cell(style.digits(i), align="center"),
            Cell(m.person.full_name),
            Cell(m.person.position),
            Cell(member_word if m.role == TeamRole.MEMBER else TEAM_ROLE_TH.get(m.role, m.role)),
            Cell("\n".join(x for x in (m.person.phone, m.person.email) if x)),
        ]
        for i, m in enumerate(members, start=1)
    ]
    return Table(
        [
            Column("ลำดับ", 0.7, "center"),
            Column("ชื่อ - สกุล", 3),
            Column("ตำแหน่งงาน", 3),
            Column("ทำหน้าที่เป็น", 1.8),
            Column("หมายเลขโทรศัพท์ E-mail", 2.6),
        ],
        rows or [[Cell("—", colspan=5, align="center")]],
    )


def team_blocks(
    team: Team,
    style: Style,
    *,
    issue: str = "",
    goal: str = "",
    knowledge: str = "",
    number: int | None = None,
) -> list[Any]:
    """One team: its heading lines, then its members. `issue`, `goal` and `knowledge` default
    to what the team itself records."""
    org = team.organisation
    sheet = sheet_of(team)
    fields: list[tuple[str, str]] = []
    if sheet == 5:
        label = f"ประเด็นยุทธศาสตร์ที่ {style.digits(number)}" if number else "ประเด็นยุทธศาสตร์"
        fields += [
            (label, issue or team.strategic_issue),
            ("เป้าประสงค์", goal or team.goal),
            ("ชื่อองค์ความรู้ที่จำเป็น", knowledge or team.needed_knowledge),
        ]
    fields.append(("ส่วนราชการ/องค์กร", org.name_th))
    blocks: list[Any] = [Paragraph(team.name, bold=True), Fields(fields)]
    if team.description:
        blocks.append(Paragraph(team.description))
    blocks.append(members_table(team, style))
    return blocks


def sheet_heading(sheet: int) -> list[Any]:
    return [Heading(f"ใบงานที่ {sheet}", 1), Paragraph(SHEET_TITLES[sheet], align="center", bold=True)]


def _document(org: Organisation, title: str, filename: str, blocks: list[Any], note: str) -> Document:
    return Document(
        title=f"{title} {org.name_th}",
        filename=filename,
        sections=[Section(blocks, name=note or title[:28])],
        style=style_of(org),
        organisation=org.name_th,
        header_note=note,
    )


def team_document(team: Team) -> Document:
    """One team on its worksheet (a committee or brain bank: its members under its name)."""
    sheet = sheet_of(team)
    style = style_of(team.organisation)
    heading = sheet_heading(sheet) if sheet else [Heading(team.name, 1)]
    blocks = heading + team_blocks(team, style)
    note = f"ใบงานที่ {sheet}" if sheet else ""
    return _document(team.organisation, team.name, f"{team.organisation.code}-team-{team.pk}", blocks, note)


def teams_of(org: Organisation, sheet: int) -> list[Team]:
    return list(Team.objects.filter(organisation=org, kind__in=SHEET_KINDS[sheet]).order_by("order", "pk"))


def organisation_document(org: Organisation, sheet: int) -> Document:
    """All the organisation's teams of worksheet 5 or 6, one after the other."""
    style = style_of(org)
    blocks = sheet_heading(sheet)
    teams = teams_of(org, sheet)
    for team in teams:
        blocks += team_blocks(team, style)
    if not teams:
        blocks.append(Paragraph("—", align="center"))
    title = f"ใบงานที่ {sheet}"
    return _document(org, title, f"{org.code}-worksheet{sheet}", blocks, title)
