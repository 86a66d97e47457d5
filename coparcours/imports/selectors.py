"""Reading the imports of an organisation."""

from __future__ import annotations

from django.db.models import QuerySet

from coparcours.imports.models import ImportBatch
from coparcours.organisations.models import Organisation

#: The past imports a page lists.
RECENT = 50


def recent_batches(organisation: Organisation | None) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(organisation=organisation).select_related("imported_by")[
        :RECENT
    ]
