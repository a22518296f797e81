from platu.tracking.models.rounds import (
    ActivityOwner,
    Binding,
    Correction,
    Entry,
    Evidence,
    OrgIndicator,
    Round,
)

__all__ = ["ActivityOwner", "Binding", "Correction", "Entry", "Evidence", "OrgIndicator", "Round"]
