"""What KM planning keeps about a person (declared for platu/privacy)."""

from django.utils.translation import gettext_lazy as _

from platu.privacy.registry import BASIS_PUBLIC_TASK, KEEP_RECORDS, PersonalData, register

PLANS = _("KM plans: who submitted, reviewed, approved and scored them")

register(
    PersonalData(
        "planning.Plan",
        links=("submitted_by", "reviewed_by", "approved_by"),
        purpose=PLANS,
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_RECORDS,
    ),
    PersonalData(
        "planning.PlanEvent",
        links=("actor",),
        fields=("comment",),
        purpose=PLANS,
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_RECORDS,
    ),
    PersonalData(
        "planning.Score", links=("scorer",), purpose=PLANS, basis=BASIS_PUBLIC_TASK, retention=KEEP_RECORDS
    ),
)
