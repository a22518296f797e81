"""What notifications keep about a person (declared for platu/privacy)."""

from django.utils.translation import gettext_lazy as _

from platu.privacy.registry import BASIS_CONTRACT, DELETE, KEEP_SHORT, PersonalData, register

register(
    PersonalData(
        "notify.Notification",
        links=("recipient", "actor"),
        fields=("text",),
        purpose=_("Telling people what needs them"),
        basis=BASIS_CONTRACT,
        retention=KEEP_SHORT,
        erase=DELETE,
    ),
)
