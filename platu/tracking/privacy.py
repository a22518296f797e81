"""What monitoring keeps about a person (declared for platu/privacy)."""

from django.utils.translation import gettext_lazy as _

from platu.privacy.registry import BASIS_PUBLIC_TASK, KEEP_RECORDS, PersonalData, register

WHY = _("Progress of the KM plan: who reported, checked and acknowledged")


def _t(
    model: str, links: tuple[str, ...], fields: tuple[str, ...] = (), files: tuple[str, ...] = ()
) -> PersonalData:
    return PersonalData(model, links=links, fields=fields, files=files, purpose=WHY, basis=BASIS_PUBLIC_TASK,
                        retention=KEEP_RECORDS)  # fmt: skip


register(
    _t("tracking.Round", ("opened_by", "closed_by", "acknowledged_by"), ("ceo_comment",)),
    _t("tracking.ActivityOwner", ("person",)),
    _t("tracking.Entry", ("entered_by", "checked_by"), ("check_comment",)),
    _t("tracking.Evidence", ("added_by",), ("name", "note"), ("file",)),
    _t("tracking.Correction", ("by",), ("reason",)),
)
