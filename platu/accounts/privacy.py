"""What the accounts keep about a person (declared for platu/privacy)."""

from django.utils.translation import gettext_lazy as _

from platu.privacy.registry import (
    BASIS_CONTRACT,
    BASIS_LEGITIMATE,
    CLEAR,
    DELETE,
    KEEP_ACCOUNT,
    KEEP_SHORT,
    PersonalData,
    register,
)

register(
    PersonalData(
        "accounts.User",
        links=("pk",),
        fields=("username", "first_name", "last_name", "email"),
        purpose=_("Signing in to Platu"),
        basis=BASIS_CONTRACT,
        retention=KEEP_ACCOUNT,
        erase=CLEAR,
        exclude=("password",),
    ),
    PersonalData(
        "accounts.ApiToken",
        links=("user",),
        fields=("name",),
        purpose=_("Programs using the API for the person"),
        basis=BASIS_CONTRACT,
        retention=KEEP_ACCOUNT,
        erase=DELETE,
        exclude=("digest",),
    ),
    PersonalData(
        "account.EmailAddress",
        links=("user",),
        fields=("email",),
        purpose=_("Signing in and e-mail notifications"),
        basis=BASIS_CONTRACT,
        retention=KEEP_ACCOUNT,
        erase=DELETE,
    ),
    PersonalData(
        "mfa.Authenticator",
        links=("user",),
        fields=("data",),
        purpose=_("Two-step sign-in"),
        basis=BASIS_LEGITIMATE,
        retention=KEEP_ACCOUNT,
        erase=DELETE,
        export=False,
    ),
    PersonalData(
        "admin.LogEntry",
        links=("user",),
        fields=("object_repr", "change_message"),
        purpose=_("Changes made in the site administration"),
        basis=BASIS_LEGITIMATE,
        retention=KEEP_SHORT,
    ),
)

# Government sign-in (OpenID Connect through allauth's social accounts), where installed.
register(
    PersonalData(
        "socialaccount.SocialAccount",
        links=("user",),
        fields=("uid", "extra_data"),
        purpose=_("Signing in with a government account"),
        basis=BASIS_CONTRACT,
        retention=KEEP_ACCOUNT,
        erase=DELETE,
    ),
    PersonalData(
        "accounts.LinkRequest",
        links=("user", "suggested_user", "decided_by"),
        fields=("uid", "email", "name", "extra_data"),
        purpose=_("Signing in with a government account"),
        basis=BASIS_CONTRACT,
        retention=KEEP_SHORT,
        erase=DELETE,
        erase_links=("user", "suggested_user"),
        exclude=("citizen_id_hmac",),
    ),
    PersonalData(
        "accounts.SignInPolicy",
        links=("updated_by",),
        purpose=_("Who set the ways of signing in"),
        basis=BASIS_LEGITIMATE,
        retention=KEEP_ACCOUNT,
        export=False,
    ),
)
