"""CEJ-JR models, one module per sub-domain (circulaire 2022/117; docs/domain-rules.md,
"CEJ-JR: young people in rupture"):

- ``regulation``: figures set by regulation, dated (veille, contract, allowance, sanctions).
- ``partnership``: a partnership's settings, follow-up preferences, eligibility derogations.
- ``pathway``: the pathway opened at outreach, its stage moves and contract extensions.
- ``eligibility``: contacts with the mission locale and the eligibility checks.
- ``committee``: the weekly integration committee, its agenda and decisions.
- ``dossier``: the administrative file.
- ``allowances``: missed actions and sanctions, the one-off PACEA allowance.
- ``plan``: the dimensions, the "who does what" and the shared action plan.
- ``hours``: activities and the Monday follow-up of the weekly hours.
- ``reviews``: the milestone reviews, their reminders and ratings.
- ``links``: the calendar feeds.
- ``sessions``: the programme's collective sessions and the permanences' slots.
- ``interviews``: interviews and syntheses.

Every piece of a youth's data derives from ``youths.models.YouthData`` (``youth``,
``category``, ``author_organisation``), so that the access policy (``coparcours.core.access``)
decides who sees it. Django imports every
model from here; the choices and constants are imported from their module.
"""

from coparcours.cej.models.allowances import MissedAction, PaceaAllowanceRequest
from coparcours.cej.models.committee import AgendaItem, CommitteeDecision, CommitteeMeeting
from coparcours.cej.models.dossier import DossierItem, DossierItemKind
from coparcours.cej.models.eligibility import Contact, EligibilityCheck
from coparcours.cej.models.hours import Activity, WeeklyFollowUp, YouthAnswer
from coparcours.cej.models.interviews import Interview
from coparcours.cej.models.links import CalendarFeed
from coparcours.cej.models.partnership import (
    EligibilityDerogation,
    FollowUpPreference,
    PartnershipSettings,
)
from coparcours.cej.models.pathway import ContractExtension, Pathway, StageChange
from coparcours.cej.models.plan import ActionPlan, CharterLine, PlanAction
from coparcours.cej.models.regulation import (
    AllowanceScale,
    ContractDuration,
    SanctionScale,
    SanctionStep,
    VeilleDuration,
)
from coparcours.cej.models.reminders import AppointmentReminder, ReminderKind
from coparcours.cej.models.reviews import Review, ReviewRating, ReviewReminder
from coparcours.cej.models.sessions import (
    CollectiveSession,
    Permanence,
    PermanenceSlot,
    ProgrammeFeed,
    SessionRegistration,
    SlotBooking,
)

__all__ = [
    "ActionPlan",
    "Activity",
    "AgendaItem",
    "AllowanceScale",
    "AppointmentReminder",
    "CalendarFeed",
    "CharterLine",
    "CollectiveSession",
    "CommitteeDecision",
    "CommitteeMeeting",
    "Contact",
    "ContractDuration",
    "ContractExtension",
    "DossierItem",
    "DossierItemKind",
    "EligibilityCheck",
    "EligibilityDerogation",
    "FollowUpPreference",
    "Interview",
    "MissedAction",
    "PaceaAllowanceRequest",
    "PartnershipSettings",
    "Pathway",
    "Permanence",
    "PermanenceSlot",
    "PlanAction",
    "ProgrammeFeed",
    "ReminderKind",
    "Review",
    "ReviewRating",
    "ReviewReminder",
    "SanctionScale",
    "SanctionStep",
    "SessionRegistration",
    "SlotBooking",
    "StageChange",
    "VeilleDuration",
    "WeeklyFollowUp",
    "YouthAnswer",
]
