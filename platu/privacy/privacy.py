"""What the privacy module itself keeps about a person."""

from django.utils.translation import gettext_lazy as _

from platu.privacy.registry import (
    BASIS_LEGAL,
    DELETE,
    KEEP_AUDIT,
    KEEP_SHORT,
    PersonalData,
    register,
)

register(
    PersonalData(
        "privacy.PrivacyNotice",
        links=("published_by",),
        purpose=_("The privacy notice and who read it"),
        basis=BASIS_LEGAL,
        retention=KEEP_AUDIT,
        export=False,
    ),
    PersonalData(
        "privacy.NoticeAcceptance",
        links=("user",),
        purpose=_("The privacy notice and who read it"),
        basis=BASIS_LEGAL,
        retention=KEEP_AUDIT,
    ),
    PersonalData(
        "privacy.DataExport",
        links=("user",),
        purpose=_("Copies of a person's data"),
        basis=BASIS_LEGAL,
        retention=KEEP_SHORT,
        erase=DELETE,
        exclude=("path",),
    ),
    PersonalData(
        "privacy.ErasureRequest",
        links=("user", "decided_by"),
        fields=("reason",),
        purpose=_("Requests for erasure and their decisions"),
        basis=BASIS_LEGAL,
        retention=KEEP_AUDIT,
    ),
    PersonalData(
        "privacy.Breach",
        links=("created_by",),
        purpose=_("The breach log"),
        basis=BASIS_LEGAL,
        retention=KEEP_AUDIT,
        export=False,
    ),
)
