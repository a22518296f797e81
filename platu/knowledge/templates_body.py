"""Body templates per knowledge type: the questions each type answers.

A template is headings, each followed by a hint paragraph marked ``data-hint``: the editor
shows it greyed and removes it as soon as the user writes there; the sanitiser drops any
hint left untouched, so a hint is never saved or published as content."""

from __future__ import annotations

from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

KINDS = ("aar", "story", "best_practice", "lesson", "manual", "article")


def headings(kind: str) -> list[tuple[str, str]]:
    """(heading, prompt) pairs for a type."""
    table: dict[str, list[tuple[str, str]]] = {
        "aar": [
            (_("What did we expect to happen?"), _("The goal and the result we planned for.")),
            (_("What actually happened?"), _("The facts, in order.")),
            (_("Why was there a difference?"), _("What helped and what got in the way.")),
            (_("What will we do next time?"), _("What to keep, what to change.")),
        ],
        "story": [
            (_("Context"), _("Where, when, who was involved, and the problem faced.")),
            (_("What was done"), _("The steps taken, in the words of those who did them.")),
            (_("Result"), _("What changed, with numbers where possible.")),
            (_("Success factors"), _("What made it work.")),
        ],
        "best_practice": [
            (_("Problem"), _("The need or problem this practice solves.")),
            (_("Method, step by step"), _("1. … 2. … 3. …")),
            (_("Results, with numbers"), _("Before and after, measured.")),
            (_("Conditions for reuse"), _("What another unit needs to do the same.")),
        ],
        "lesson": [
            (_("Background"), _("The work or project the lessons come from.")),
            (_("What went well"), _("Practices worth keeping.")),
            (_("What should be improved"), _("Problems met and their causes.")),
            (_("Lessons for others"), _("Advice for the next team.")),
        ],
        "manual": [
            (_("Purpose"), _("Why this work is done and what it must achieve.")),
            (_("Scope"), _("Where the procedure starts and ends; who it applies to.")),
            (_("Steps"), _("Each step, who does it, how long it takes.")),
            (_("Forms"), _("Forms and records used.")),
            (_("References"), _("Laws, rules and documents referred to.")),
        ],
        "article": [],
    }
    return table.get(kind, [])


def template_html(kind: str) -> str:
    parts = []
    for heading, prompt in headings(kind):
        parts.append(f'<h2>{escape(heading)}</h2><p data-hint="{escape(prompt)}">{escape(prompt)}</p>')
    return "".join(parts)


def template_lines() -> set[str]:
    """Every heading and hint of every template, in Thai and in English."""
    lines: set[str] = set()
    for language in ("th", "en"):
        with translation.override(language):
            for kind in KINDS:
                for heading, prompt in headings(kind):
                    lines |= {heading, prompt}
    return lines


def only_template(body_text: str) -> bool:
    """True when the plain text holds nothing but a template's headings and hints."""
    known = template_lines()
    return all(line.strip() in known for line in body_text.splitlines())


def all_templates() -> dict[str, str]:
    from platu.knowledge.models import Item

    return {kind: template_html(kind) for kind in Item.Kind.values}
