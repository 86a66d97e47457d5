"""The youths' voice: three questions on a four-step scale, answered without identity."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

SCALE = [
    (1, gettext_lazy("Pas du tout")),
    (2, gettext_lazy("Plutôt pas")),
    (3, gettext_lazy("Plutôt oui")),
    (4, gettext_lazy("Tout à fait")),
]


class VoiceForm(forms.Form):
    adhesion = forms.TypedChoiceField(
        label=gettext_lazy("Avez-vous envie de continuer votre parcours ?"),
        coerce=int,
        choices=SCALE,
        widget=forms.RadioSelect,
    )
    support = forms.TypedChoiceField(
        label=gettext_lazy("Vous sentez-vous bien accompagné ?"),
        coerce=int,
        choices=SCALE,
        widget=forms.RadioSelect,
    )
    quality_of_life = forms.TypedChoiceField(
        label=gettext_lazy("Comment va votre vie en ce moment (logement, santé, moral) ?"),
        coerce=int,
        choices=SCALE,
        widget=forms.RadioSelect,
    )
