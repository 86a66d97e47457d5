"""A young person's record, its co-accompaniment, consents, notes and documents, one module
per sub-domain:

- ``records``: the youth's record, the queries finding the youths an organisation
  accompanies, the access facts and the category of each field.
- ``assignments``: co-accompaniments by organisations besides the owner.
- ``consents``: consents and legal-basis shares.
- ``documents``: notes and uploaded documents.
- ``retention``: dated retention periods.
- ``erasure``: erasure requests and their decisions.
- ``copies``: requests for a copy of the data and their answers.
- ``youth_data``: the abstract base of every piece of a youth's data, in every app.

Django imports every model from here; the choices, constants and functions are imported
from their module.
"""

from coparcours.youths.models.assignments import Assignment
from coparcours.youths.models.consents import Consent
from coparcours.youths.models.copies import CopyRequest
from coparcours.youths.models.documents import Document, Note
from coparcours.youths.models.erasure import ErasureRequest
from coparcours.youths.models.records import Youth
from coparcours.youths.models.retention import RetentionRule
from coparcours.youths.models.youth_data import YouthData

__all__ = [
    "Assignment",
    "Consent",
    "CopyRequest",
    "Document",
    "ErasureRequest",
    "Note",
    "RetentionRule",
    "Youth",
    "YouthData",
]
