"""What the LINE module keeps about a person (declared for platu/privacy)."""

from django.utils.translation import gettext_lazy as _

from platu.privacy.registry import (
    BASIS_CONSENT,
    BASIS_CONTRACT,
    DELETE,
    KEEP_ACCOUNT,
    KEEP_RECORDS,
    KEEP_SHORT,
    PersonalData,
    register,
)

register(
    PersonalData(
        "line.Channel",
        links=("updated_by",),
        purpose=_("Who set up the organisation's LINE account"),
        basis=BASIS_CONTRACT,
        retention=KEEP_RECORDS,
        export=False,
    ),
    PersonalData(
        "line.Link",
        links=("user",),
        fields=("line_user_id",),
        purpose=_("Notifications by LINE"),
        basis=BASIS_CONSENT,
        retention=KEEP_ACCOUNT,
        erase=DELETE,
    ),
    PersonalData(
        "line.LinkNonce",
        links=("user",),
        purpose=_("Linking a LINE account"),
        basis=BASIS_CONSENT,
        retention=KEEP_SHORT,
        erase=DELETE,
        export=False,
    ),
    PersonalData(
        "line.Preference",
        links=("user",),
        purpose=_("Notification choices"),
        basis=BASIS_CONSENT,
        retention=KEEP_ACCOUNT,
        erase=DELETE,
    ),
    PersonalData(
        "line.Digest",
        links=("user",),
        purpose=_("Notification choices"),
        basis=BASIS_CONSENT,
        retention=KEEP_ACCOUNT,
        erase=DELETE,
    ),
    PersonalData(
        "line.Delivery",
        links=("user",),
        purpose=_("Notifications by LINE"),
        basis=BASIS_CONSENT,
        retention=KEEP_SHORT,
        erase=DELETE,
    ),
)
