from platu.knowledge.models.engagement import (
    AppliedReport,
    Comment,
    ItemView,
    ReviewVote,
    UsefulVote,
)
from platu.knowledge.models.items import (
    Attachment,
    Autosave,
    Category,
    Item,
    ItemLink,
    Revision,
    Tag,
    VideoLink,
)

__all__ = [
    "AppliedReport",
    "Attachment",
    "Autosave",
    "Category",
    "Comment",
    "Item",
    "ItemLink",
    "ItemView",
    "ReviewVote",
    "Revision",
    "Tag",
    "UsefulVote",
    "VideoLink",
]
