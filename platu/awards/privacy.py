"""What awards keep about a person (declared for platu/privacy)."""

from django.utils.translation import gettext_lazy as _

from platu.privacy.registry import BASIS_PUBLIC_TASK, KEEP_RECORDS, PersonalData, register

WHY = _("Awards: nominations, committees, scores and certificates")


def _a(
    model: str, links: tuple[str, ...], fields: tuple[str, ...] = (), files: tuple[str, ...] = ()
) -> PersonalData:
    return PersonalData(model, links=links, fields=fields, files=files, purpose=WHY, basis=BASIS_PUBLIC_TASK,
                        retention=KEEP_RECORDS)  # fmt: skip


register(
    _a("awards.Programme", ("created_by", "announced_by")),
    _a("awards.CommitteeMember", ("person",)),
    _a("awards.Nomination", ("person", "nominator", "reviewed_by"), ("statement", "review_note")),
    _a("awards.NominationFile", ("added_by",), ("name",), ("file",)),
    _a("awards.Score", ("scorer",)),
    _a("awards.Certificate", ("person", "revoked_by"), ("recipient_name",)),
)
