"""What the audit log keeps about a person (declared for platu/privacy)."""

from django.utils.translation import gettext_lazy as _

from platu.privacy.registry import BASIS_LEGAL, KEEP_AUDIT, PersonalData, register

register(
    PersonalData(
        "audit.AuditEntry",
        links=("actor",),
        fields=("actor_repr", "object_repr", "ip", "data"),
        purpose=_("Who did what and when (audit trail)"),
        basis=BASIS_LEGAL,
        retention=KEEP_AUDIT,
        clear=("ip",),
    ),
)
