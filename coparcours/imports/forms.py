"""The import forms: the file to check, then the decisions on its likely duplicates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms

from coparcours.imports.services import CREATE, MAX_FILE_BYTES, SKIP

DECISION_CHOICES = [(CREATE, "Créer un nouveau dossier"), (SKIP, "Ne pas importer cette ligne")]
DECISION_PREFIX = "line_"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Fichier à vérifier (CSV ou Excel .xlsx)",
        help_text="Le fichier est vérifié en entier ; rien n'est enregistré à cette étape.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"Le fichier dépasse {MAX_FILE_BYTES // 1_000_000} Mo : découpez-le."
            )
        return upload


class ConfirmForm(forms.Form):
    """The checked file carried back with the confirmation (nothing is kept on the server
    between the two steps), and one choice per likely duplicate."""

    content = forms.CharField(widget=forms.HiddenInput)
    file_name = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, duplicates: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duplicate_fields = []
        for duplicate in duplicates:
            name = f"{DECISION_PREFIX}{duplicate.line}"
            self.fields[name] = forms.ChoiceField(
                label=f"Ligne {duplicate.line} : {duplicate.name}",
                choices=DECISION_CHOICES,
                widget=forms.RadioSelect,
            )
            self.duplicate_fields.append((duplicate, self[name]))

    @staticmethod
    def decisions_of(data: Mapping[str, str]) -> dict[int, str]:
        """The choices posted, by line number (unknown values are left undecided)."""
        decisions = {}
        for name, value in data.items():
            line = name.removeprefix(DECISION_PREFIX)
            if name.startswith(DECISION_PREFIX) and line.isdigit() and value in {CREATE, SKIP}:
                decisions[int(line)] = value
        return decisions
