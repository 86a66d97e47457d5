"""What the youth types in their own space, in their language (``youths.language``): the
second factor before it opens, and their request to erase their data."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy


class YouthBirthDateForm(forms.Form):
    """What the youth knows, asked before their space opens: their date of birth (in the
    youth's language, coparcours.youths.language)."""

    birth_date = forms.DateField(
        label=gettext_lazy("Votre date de naissance"),
        help_text=gettext_lazy("Jour, mois et année, par exemple 03/02/2004."),
        input_formats=["%d/%m/%Y", "%d%m%Y", "%Y-%m-%d"],
        error_messages={
            "required": gettext_lazy("Indiquez votre date de naissance."),
            "invalid": gettext_lazy(
                "Écrivez la date avec le jour, le mois et l'année, par exemple 03/02/2004."
            ),
        },
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "bday",
                "placeholder": gettext_lazy("JJ/MM/AAAA"),
            }
        ),
    )


class YouthErasureForm(forms.Form):
    """The youth's request to erase their data, from their own space (their language)."""

    reason = forms.CharField(
        label=gettext_lazy("Pourquoi ? (si vous voulez le dire)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


#: Codes too easy to guess, refused when the youth chooses theirs.
_GUESSABLE = re.compile(r"^(\d)\1+$|^(0123|1234|2345|3456|4567|5678|6789|9876|4321)")


class YouthPinForm(forms.Form):
    """The code the youth chose at their first opening, asked before their space opens."""

    pin = forms.RegexField(
        label=gettext_lazy("Votre code (4 à 6 chiffres)"),
        regex=r"^\d{4,6}$",
        error_messages={
            "required": gettext_lazy("Indiquez votre code."),
            "invalid": gettext_lazy("Le code a 4 à 6 chiffres."),
        },
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class YouthNewPinForm(forms.Form):
    """A youth whose date of birth is not known chooses a code at their first opening."""

    pin = forms.RegexField(
        label=gettext_lazy("Choisissez un code de 4 à 6 chiffres"),
        help_text=gettext_lazy("Il vous sera demandé à chaque fois. Ne le donnez à personne."),
        regex=r"^\d{4,6}$",
        error_messages={
            "required": gettext_lazy("Choisissez un code."),
            "invalid": gettext_lazy("Le code a 4 à 6 chiffres."),
        },
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
    )
    pin_again = forms.CharField(
        label=gettext_lazy("Écrivez-le une seconde fois"),
        error_messages={"required": gettext_lazy("Écrivez le code une seconde fois.")},
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
    )

    def clean_pin(self) -> str:
        pin = self.cleaned_data["pin"]
        if _GUESSABLE.match(pin):
            raise forms.ValidationError(
                gettext_lazy("Ce code est trop facile à deviner : choisissez-en un autre.")
            )
        return pin

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("pin") and cleaned.get("pin_again") != cleaned["pin"]:
            self.add_error("pin_again", gettext_lazy("Les deux codes ne sont pas les mêmes."))
        return cleaned
