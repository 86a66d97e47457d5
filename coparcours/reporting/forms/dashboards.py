"""The dashboards' filter: period, consortium (GME or partnership), member, site; a
funder's filter on the published grid."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import QuerySet

from coparcours.core.forms import LastDayField
from coparcours.housing.models import Site
from coparcours.organisations.models import Consortium, Organisation
from coparcours.reporting import grids
from coparcours.reporting.indicators.common import Period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

#: The largest period a dashboard computes at once (daily occupancy is one row a day).
MAX_PERIOD_DAYS = 3 * 366
#: Dates a dashboard accepts (the first GME dates from 2018; months beyond are computed).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def default_period(today: datetime.date) -> Period:
    """The last twelve whole months and the current one."""
    return Period(today.replace(day=1, year=today.year - 1), today + datetime.timedelta(days=1))


class FilterForm(forms.Form):
    start = forms.DateField(label="Du", widget=DATE)
    end = LastDayField(label="Au", widget=DATE)  # typed inclusive, kept as the day after
    consortium = forms.ModelChoiceField(
        label="Groupement ou partenariat",
        queryset=Consortium.objects.none(),
        required=False,
        empty_label="Tous",
    )
    organisation = forms.ModelChoiceField(
        label="Membre", queryset=Organisation.objects.none(), required=False, empty_label="Tous"
    )
    site = forms.ModelChoiceField(
        label="Site", queryset=Site.objects.none(), required=False, empty_label="Tous"
    )

    def __init__(
        self,
        *args,
        consortia: QuerySet[Consortium],
        organisations: QuerySet[Organisation] | None = None,
        organisation_label: str = "Membre",
        sites: QuerySet[Site] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consortium"].queryset = consortia
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
            self.fields["organisation"].label = organisation_label
        if sites is None:
            del self.fields["site"]
        else:
            self.fields["site"].queryset = sites

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        for day in (start, end):
            if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                raise forms.ValidationError(
                    f"Choisissez des dates entre {FIRST_YEAR} et {LAST_YEAR}."
                )
        if start and end:
            if end <= start:
                raise forms.ValidationError("La fin de la période ne peut pas précéder son début.")
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError(
                    "La période ne peut dépasser trois ans : choisissez une période plus courte."
                )
        return data

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])


class FunderFilterForm(forms.Form):
    """A funder's filter: a period of the fixed grid (an ended month, quarter or year,
    ``reporting.grids``) and the consortium; no free dates, no member, no site."""

    periode = forms.CharField(label="Période publiée", widget=forms.Select)
    consortium = forms.ModelChoiceField(
        label="Groupement ou partenariat",
        queryset=Consortium.objects.none(),
        required=False,
        empty_label="Tous",
    )

    def __init__(
        self, *args, consortia: QuerySet[Consortium], today: datetime.date, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["consortium"].queryset = consortia
        published = grids.published(today)
        self.fields["periode"].widget.choices = [
            (label, [(grid.key, grid.label) for grid in published if grid.kind == kind])
            for kind, label in (
                (grids.QUARTER, "Trimestres"),
                (grids.YEAR, "Années"),
                (grids.MONTH, "Mois"),
            )
        ]
        self.fields[
            "periode"
        ].help_text = (
            "Les chiffres des financeurs sont publiés par mois, trimestre ou année terminés."
        )

    def clean_periode(self) -> grids.GridPeriod:
        try:
            return grids.parse(self.cleaned_data["periode"], self.today)
        except grids.OffGrid as refused:
            raise forms.ValidationError(str(refused), code="period_off_grid") from refused

    @property
    def period(self) -> Period:
        return self.cleaned_data["periode"].period
