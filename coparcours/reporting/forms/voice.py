"""The youths' voice: three questions on a four-step scale, answered without identity."""

from __future__ import annotations

from django import forms

SCALE = [(1, "Pas du tout"), (2, "Plutôt pas"), (3, "Plutôt oui"), (4, "Tout à fait")]


class VoiceForm(forms.Form):
    adhesion = forms.TypedChoiceField(
        label="As-tu envie de continuer ton parcours ?",
        coerce=int,
        choices=SCALE,
        widget=forms.RadioSelect,
    )
    support = forms.TypedChoiceField(
        label="Te sens-tu bien accompagné·e ?", coerce=int, choices=SCALE, widget=forms.RadioSelect
    )
    quality_of_life = forms.TypedChoiceField(
        label="Comment va ta vie en ce moment (logement, santé, moral) ?",
        coerce=int,
        choices=SCALE,
        widget=forms.RadioSelect,
    )
