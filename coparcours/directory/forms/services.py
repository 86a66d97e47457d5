"""Forms of the directory's search and import pages (French labels; rules stay in services)."""

from __future__ import annotations

from django import forms

from coparcours.directory import selectors


class SearchForm(forms.Form):
    q = forms.CharField(label="Recherche libre", required=False, max_length=200)
    thematique = forms.CharField(label="Thématique", required=False, max_length=150)
    public = forms.CharField(label="Public", required=False, max_length=150)
    commune = forms.CharField(label="Commune ou code postal", required=False, max_length=150)
    departement = forms.CharField(label="Département", required=False, max_length=3)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier data·inclusion (JSON ou CSV)",
        help_text="Structures et services au schéma national data·inclusion, encodés en UTF-8.",
    )


def theme_choices() -> list:
    return [("", "Toutes"), *selectors.theme_choices()]
