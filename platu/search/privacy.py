"""What search keeps about a person (declared for platu/privacy)."""

from django.utils.translation import gettext_lazy as _

from platu.privacy.registry import BASIS_PUBLIC_TASK, KEEP_RECORDS, PersonalData, register

register(
    PersonalData(
        "search.SearchTerm",
        links=("added_by",),
        purpose=_("Who added a search dictionary term"),
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_RECORDS,
        export=False,
    ),
)
