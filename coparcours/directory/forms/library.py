"""Forms of the shared library: a guide's reach, a funder's designation of publishers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from coparcours.directory import library
from coparcours.directory.models import GuideReach, LibraryPublisher, TerritoryLevel
from coparcours.organisations.models import Consortium, Organisation

REACH_FIELDS = ("reach", "territory", "shared_with")


class ReachFields(forms.Form):
    """Whom a guide reaches; the choices beyond its partnership are those the publisher's
    designations allow. Without a designation, the fields are left out (its partnership)."""

    reach = forms.ChoiceField(
        label="Diffusion",
        choices=GuideReach.choices,
        initial=GuideReach.PARTNERSHIP,
        required=False,
        widget=forms.RadioSelect,
        help_text="Sans choix : son groupement ou partenariat seulement.",
    )
    territory = forms.ChoiceField(
        label="Territoire",
        required=False,
        help_text="Pour une diffusion à tous les partenariats du territoire.",
    )
    shared_with = forms.ModelMultipleChoiceField(
        label="Partenariats destinataires",
        queryset=Consortium.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Pour une diffusion à des partenariats choisis.",
    )

    def __init__(self, *args: Any, designations: list[LibraryPublisher], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not designations:
            for name in REACH_FIELDS:
                del self.fields[name]
            return
        national = any(d.level == TerritoryLevel.NATIONAL for d in designations)
        self.territories = {
            f"{t.level}:{t.code}": t for t in library.territory_choices(designations)
        }
        self.fields["territory"].choices = [("", "—")] + [
            (key, territory.label) for key, territory in self.territories.items()
        ]
        reaches = {GuideReach.PARTNERSHIP, GuideReach.PARTNERSHIPS, GuideReach.TERRITORY}
        if national:
            reaches.add(GuideReach.EVERYONE)
        self.fields["reach"].choices = [c for c in GuideReach.choices if c[0] in reaches]
        consortia = Consortium.objects.none()
        for designation in designations:
            consortia = consortia | library.consortia_in(library.territory_of(designation))
        self.fields["shared_with"].queryset = consortia.distinct().order_by("name")

    def clean_territory(self) -> library.Territory | None:
        return self.territories.get(self.cleaned_data["territory"])

    def reach_data(self) -> dict[str, Any]:
        """The cleaned reach, for ``create_guide`` or ``change_reach``."""
        data = self.cleaned_data
        return {
            "reach": data.get("reach") or GuideReach.PARTNERSHIP,
            "territory": data.get("territory"),
            "shared_with": list(data.get("shared_with") or []),
        }


class DesignationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation désignée", queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
