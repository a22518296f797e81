"""What the organisations module keeps about a person (declared for platu/privacy)."""

from django.utils.translation import gettext_lazy as _

from platu.privacy.registry import BASIS_PUBLIC_TASK, KEEP_ACCOUNT, KEEP_RECORDS, PersonalData, register

register(
    PersonalData(
        "orgs.Person",
        links=("user",),
        fields=("title", "first_name", "last_name", "position", "phone", "email", "expertise"),
        purpose=_("The staff directory and finding experts"),
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_ACCOUNT,
        exclude=("sort_key",),
    ),
    PersonalData(
        "orgs.Membership",
        links=("person",),
        purpose=_("Who works where, with which KM roles"),
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_RECORDS,
    ),
    PersonalData(
        "orgs.TeamMember",
        links=("person",),
        fields=("role",),
        purpose=_("KM teams and committees"),
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_RECORDS,
    ),
)
