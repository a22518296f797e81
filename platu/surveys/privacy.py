"""What surveys keep about a person (declared for platu/privacy). An anonymous survey's response
has no link to its respondent, so it is neither exported nor touched."""

from django.utils.translation import gettext_lazy as _

from platu.privacy.registry import (
    BASIS_CONSENT,
    BASIS_PUBLIC_TASK,
    DELETE,
    KEEP_RECORDS,
    KEEP_SHORT,
    PersonalData,
    register,
)

WHY = _("Surveys: who was asked and what they answered (not for anonymous surveys)")

register(
    PersonalData(
        "surveys.Survey", links=("created_by",), purpose=WHY, basis=BASIS_PUBLIC_TASK, retention=KEEP_RECORDS
    ),
    PersonalData(
        "surveys.Invitation", links=("person",), purpose=WHY, basis=BASIS_PUBLIC_TASK, retention=KEEP_RECORDS
    ),
    PersonalData(
        "surveys.Response", links=("person",), purpose=WHY, basis=BASIS_CONSENT, retention=KEEP_RECORDS
    ),
    PersonalData(
        "surveys.Answer",
        links=("response__person",),
        fields=("text",),
        purpose=WHY,
        basis=BASIS_CONSENT,
        retention=KEEP_RECORDS,
    ),
    PersonalData(
        "surveys.Draft",
        links=("person",),
        fields=("data",),
        purpose=WHY,
        basis=BASIS_CONSENT,
        retention=KEEP_SHORT,
        erase=DELETE,
    ),
)
