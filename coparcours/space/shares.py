"""The shares of the youth's record in force, in the youth's words and language: their
space lists them, and they may withdraw a consent themself (``views.rights``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy

from coparcours.core.access import Category
from coparcours.youths.models import Consent, Youth


def shares_of(youth: Youth) -> list[Consent]:
    """The shares of the youth's record in force today, by organisation."""
    return list(
        Consent.objects.active(timezone.localdate())
        .filter(youth_id=youth.pk)
        .select_related("organisation", "author_organisation")
        .order_by("organisation__name", "start_date")
    )


#: Each category of the record in the youth's words (their own space speaks their language).
YOUTH_CATEGORY_WORDS: dict[str, str] = {
    Category.IDENTITY: gettext_lazy("qui vous êtes (nom, naissance, situation)"),
    Category.CONTACT: gettext_lazy("comment vous joindre"),
    Category.HOUSING: gettext_lazy("votre logement"),
    Category.EDUCATION_EMPLOYMENT: gettext_lazy("votre formation et votre travail"),
    Category.HEALTH: gettext_lazy("votre santé"),
    Category.MENTAL_HEALTH: gettext_lazy("votre santé mentale"),
    Category.JUSTICE: gettext_lazy("vos démarches avec la justice"),
    Category.ADMIN_DOCUMENTS: gettext_lazy("vos papiers"),
    Category.NOTES: gettext_lazy("les notes des professionnels"),
}


def category_labels(consent: Consent) -> list[str]:
    """The shared categories in the youth's words and language, in the record's order."""
    return [
        str(YOUTH_CATEGORY_WORDS[value]) for value in Category.values if value in consent.categories
    ]
