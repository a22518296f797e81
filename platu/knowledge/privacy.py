"""What the knowledge module keeps about a person (declared for platu/privacy). The knowledge
stays after an erasure; the author's name in it is pseudonymised."""

from django.utils.translation import gettext_lazy as _

from platu.privacy.registry import (
    BASIS_PUBLIC_TASK,
    DELETE,
    KEEP_KNOWLEDGE,
    KEEP_SHORT,
    PersonalData,
    register,
)

WRITTEN = _("The organisation's knowledge and who wrote it")

register(
    PersonalData(
        "knowledge.Item",
        links=("owner",),
        fields=("title", "body"),
        purpose=WRITTEN,
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_KNOWLEDGE,
        exclude=("body_text",),
    ),
    PersonalData(
        "knowledge.Item_coauthors",
        links=("person",),
        purpose=WRITTEN,
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_KNOWLEDGE,
    ),
    PersonalData(
        "knowledge.Revision",
        links=("author",),
        fields=("author_name", "message"),
        purpose=WRITTEN,
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_KNOWLEDGE,
    ),
    PersonalData(
        "knowledge.Autosave",
        links=("user",),
        fields=("data",),
        purpose=_("Unsaved drafts"),
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_SHORT,
        erase=DELETE,
    ),
    PersonalData(
        "knowledge.Attachment",
        links=("uploaded_by",),
        fields=("name",),
        files=("file",),
        purpose=WRITTEN,
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_KNOWLEDGE,
        exclude=("text",),
    ),
    PersonalData(
        "knowledge.ReviewVote",
        links=("reviewer",),
        fields=("vote",),
        purpose=_("The review committee's votes"),
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_KNOWLEDGE,
    ),
    PersonalData(
        "knowledge.Comment",
        links=("author",),
        fields=("author_name", "body"),
        purpose=_("Comments on knowledge"),
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_KNOWLEDGE,
    ),
    PersonalData(
        "knowledge.UsefulVote",
        links=("user",),
        purpose=_("Who found knowledge useful"),
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_KNOWLEDGE,
    ),
    PersonalData(
        "knowledge.AppliedReport",
        links=("user", "person"),
        fields=("reporter_name", "outcome"),
        files=("evidence",),
        purpose=_("Reports of applying knowledge"),
        basis=BASIS_PUBLIC_TASK,
        retention=KEEP_KNOWLEDGE,
    ),
)
