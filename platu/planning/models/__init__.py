"""The KM plan of an organisation for a fiscal year: worksheets 1-4, the sufficiency form, the
focus area and desired states, the KM action plan (Form 2), the roadmap and the approvals."""

from platu.planning.models.plan import Plan, PlanEvent, PlanQuerySet
from platu.planning.models.sheets import (
    CHANGE_STEPS,
    KM_STEPS,
    Activity,
    Criterion,
    DesiredState,
    Kpi,
    Milestone,
    NeededKnowledge,
    Score,
    StrategicIssue,
    WorkProcess,
)

__all__ = [
    "CHANGE_STEPS",
    "KM_STEPS",
    "Activity",
    "Criterion",
    "DesiredState",
    "Kpi",
    "Milestone",
    "NeededKnowledge",
    "Plan",
    "PlanEvent",
    "PlanQuerySet",
    "Score",
    "StrategicIssue",
    "WorkProcess",
]
