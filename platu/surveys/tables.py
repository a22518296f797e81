"""The tables by organisation of a survey's results, written as HTML here: a district's 60 schools
by 11 questions are hundreds of cells, which the template language would draw one tag at a time."""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from platu.surveys.results import Results


def by_org_rows(r: Results, hidden_note: str) -> SafeString:
    """The body of the table by organisation: answers (of those asked), means by section, the mean."""
    span = len(r.likert_sections) + 2
    rows = []
    for o in r.by_org:
        head = format_html(
            '<tr data-org="{}"><th scope="row">{}</th>', o.organisation.code, o.organisation.name
        )
        if o.shown:
            answers = o.text["responses"] + (f" / {o.text['invited']}" if o.invited else "")
            cells = "".join(f'<td class="text-end">{escape(m)}</td>' for m in o.section_texts)
            rows.append(f'{head}<td class="text-end">{escape(answers)}</td>{cells}'
                        f'<td class="text-end fw-bold">{escape(o.text["mean"])}</td></tr>')  # fmt: skip
        else:
            rows.append(f'{head}<td colspan="{span}" class="text-body-secondary small org-hidden">'
                        f"{escape(hidden_note)}</td></tr>")  # fmt: skip
    return mark_safe("".join(rows))  # every text above is escaped


def by_question_rows(r: Results) -> SafeString:
    """The body of the table of each rating question's mean by organisation (shown ones only)."""
    rows = []
    for o in r.by_org:
        if o.shown:
            cells = "".join(f'<td class="text-end">{escape(m)}</td>' for m in o.question_texts)
            rows.append(f'<tr><th scope="row">{escape(o.organisation.name)}</th>{cells}</tr>')
    return mark_safe("".join(rows))  # every text above is escaped
