"""Forms of the referrals: sending one to a service, and the structure's answer (French
labels; rules stay in services)."""

from __future__ import annotations

from django import forms

from coparcours.core.access import Category
from coparcours.directory.models import RefusalReason
from coparcours.youths.models.consents import ConsentGiver, ConsentMethod

SENDABLE = [(c.value, c.label) for c in Category if c != Category.IDENTITY]


class ReferralForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label="Informations transmises (en plus de l'identité)",
        choices=SENDABLE,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Seul votre message est transmis, présenté sous ces rubriques.",
    )
    message = forms.CharField(
        label="Message à la structure", widget=forms.Textarea(attrs={"rows": 5})
    )
    consented_categories = forms.MultipleChoiceField(
        label="Le jeune a donné son accord pour transmettre à cette structure",
        choices=[(c.value, c.label) for c in Category],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent_given_by = forms.ChoiceField(label="Accord donné par", choices=ConsentGiver.choices)
    consent_method = forms.ChoiceField(
        label="Accord recueilli par",
        choices=[c for c in ConsentMethod.choices if c[0] != ConsentMethod.INFORMED_LEGAL_BASIS],
    )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label="Votre réponse",
        choices=[("accept", "Nous acceptons l'orientation"), ("refuse", "Nous refusons")],
        widget=forms.RadioSelect,
    )
    refusal_reason = forms.ChoiceField(
        label="Motif du refus",
        choices=[("", "—"), *RefusalReason.choices],
        required=False,
    )
    comment = forms.CharField(
        label="Commentaire (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answered_by = forms.CharField(label="Votre nom et votre fonction", max_length=200)
