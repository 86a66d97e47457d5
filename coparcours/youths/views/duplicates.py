"""The duplicate check as every form that opens a record runs it (``youths.opening``): a
new youth's record, an outreach in the CEJ-JR, an orientation taken up."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import HttpRequest

from coparcours.core.access import acting_organisation
from coparcours.youths import opening
from coparcours.youths.selectors import DuplicateCheck

DUPLICATE_WARNING = (
    "Ce jeune est peut-être déjà connu. Vérifiez les dossiers ci-dessous avant de créer un "
    "doublon, puis cochez la case de confirmation."
)


@dataclass(frozen=True)
class DuplicateGate:
    """What the check found, for the page (``includes/duplicates_warning.html``), and
    whether the record may open: nobody similar, or the user confirmed another person."""

    found: DuplicateCheck
    passed: bool


def duplicate_gate(request: HttpRequest, form: forms.Form) -> DuplicateGate:
    """Run the audited check on a valid form's names; when someone similar exists and the
    form's box is not ticked, the form carries the warning and the record does not open."""
    data = form.cleaned_data
    found = opening.duplicate_check(
        request.user,
        acting_organisation(request),
        data["last_name"],
        data["first_names"],
        data.get("birth_date"),
    )
    passed = not found.found or bool(data.get("confirm_not_duplicate"))
    if not passed:
        form.add_error(None, DUPLICATE_WARNING)
    return DuplicateGate(found, passed)
