"""GME housing models, one module per sub-domain (docs/domain-rules.md, "GME: housing
unaccompanied minors"):

- ``settings``: the dated settings of the housing rules.
- ``sites``: sites, waves of places, capacity changes, loans of a site between members.
- ``requests``: the funder's placement requests and the coordination's proposals.
- ``stays``: stays of hosted youths and transfers between sites.
- ``majority``: the decision at 18 and the reminders before it.
- ``incidents``: serious incidents and runaways reported to the authority (CASF L.331-8-1).
- ``road18``: the schooling, the residence-permit preparation and the preparation interview.

Django imports every model from here; the choices and constants are imported from their
module.
"""

from coparcours.housing.models.incidents import (
    IncidentDetail,
    IncidentMeasure,
    IncidentYouth,
    SeriousIncident,
)
from coparcours.housing.models.majority import AfterEighteen, MajorityReminder
from coparcours.housing.models.requests import PlacementRequest, Proposal
from coparcours.housing.models.road18 import (
    PermitPiece,
    PermitPieceKind,
    PermitPreparation,
    PermitRoute,
    PreparationInterview,
    Schooling,
)
from coparcours.housing.models.settings import HousingSettings
from coparcours.housing.models.sites import CapacityChange, Site, SiteLoan, Wave
from coparcours.housing.models.stays import Stay, Transfer

__all__ = [
    "AfterEighteen",
    "CapacityChange",
    "HousingSettings",
    "IncidentDetail",
    "IncidentMeasure",
    "IncidentYouth",
    "MajorityReminder",
    "PermitPiece",
    "PermitPieceKind",
    "PermitPreparation",
    "PermitRoute",
    "PlacementRequest",
    "PreparationInterview",
    "Proposal",
    "Schooling",
    "SeriousIncident",
    "Site",
    "SiteLoan",
    "Stay",
    "Transfer",
    "Wave",
]
