"""What competency assessment keeps about a person (declared for platu/privacy)."""

from django.utils.translation import gettext_lazy as _

from platu.privacy.registry import BASIS_PUBLIC_TASK, KEEP_RECORDS, PersonalData, register

WHY = _("Competency: assessments, development needs and the people-development plan")


def _c(model: str, links: tuple[str, ...], fields: tuple[str, ...] = ()) -> PersonalData:
    return PersonalData(model, links=links, fields=fields, purpose=WHY, basis=BASIS_PUBLIC_TASK,
                        retention=KEEP_RECORDS)  # fmt: skip


register(
    _c("competency.Framework", ("published_by",)),
    _c("competency.Cycle", ("opened_by",)),
    _c("competency.Supervisor", ("person", "supervisor")),
    _c("competency.Assessment", ("person", "assessor"), ("comment",)),
    _c("competency.Need", ("person",), ("topics", "ways", "note")),
    _c("competency.DevPlan", ("created_by",)),
    _c("competency.DevItem_people", ("person",)),
    _c("competency.Push", ("pushed_by",)),
    _c("competency.Review", ("reviewed_by",), ("note",)),
)
