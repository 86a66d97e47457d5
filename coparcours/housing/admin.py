"""Administration of the housing: dated settings and rules (the residence-permit routes and
pieces), sites, waves and capacity (history kept)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from coparcours.housing import rules
from coparcours.housing.models import (
    CapacityChange,
    HousingSettings,
    PermitPieceKind,
    PermitRoute,
    Site,
    SiteLoan,
    Wave,
)


@admin.register(HousingSettings)
class HousingSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "valid_from",
        "preparation_interview_days",
        "coordinator_alert_days",
        "saturation_threshold_percent",
        "after_18_max_age",
    ]


@admin.register(PermitRoute)
class PermitRouteAdmin(admin.ModelAdmin):
    """The CESEDA's routes to a residence permit at 18, as dated rules (a new text: a new row)."""

    list_display = ["article", "code", "valid_from", "entrusted_by_birthday", "deadline_article"]


@admin.register(PermitPieceKind)
class PermitPieceKindAdmin(admin.ModelAdmin):
    list_display = ["label", "route", "valid_from", "valid_until", "order"]


class CapacityChangeFormSet(BaseInlineFormSet):
    """The same rule as the web pages: the opened capacity of a site never goes negative."""

    def clean(self) -> None:
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if any(data.get("places") == 0 for data in kept):
            raise ValidationError("Indiquez un nombre de places non nul.")
        negative = rules.first_negative_capacity(
            (data.get("opened_on"), data.get("places") or 0) for data in kept
        )
        if negative is not None:
            raise ValidationError(
                f"La capacité du site deviendrait négative le {negative:%d/%m/%Y}."
            )


class CapacityChangeInline(admin.TabularInline):
    model = CapacityChange
    formset = CapacityChangeFormSet
    extra = 0
    fields = ["wave", "places", "planned_on", "opened_on"]


@admin.register(Site)
class SiteAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "kind", "city", "min_age", "max_age", "accepted_sex"]
    list_filter = ["consortium", "organisation", "kind"]
    search_fields = ["name", "city"]
    inlines = [CapacityChangeInline]


@admin.register(Wave)
class WaveAdmin(SimpleHistoryAdmin):
    list_display = ["name", "consortium", "decided_on", "planned_places", "planned_start"]


@admin.register(SiteLoan)
class SiteLoanAdmin(SimpleHistoryAdmin):
    list_display = ["site", "borrower", "convention_reference", "start_date", "end_date"]
    exclude = ["created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
