"""Admin of the CEJ-JR settings: the dated regulation figures and each partnership's choices.

Youths' pathway data is not in the admin: administrators see no youth data by default.
"""

from __future__ import annotations

from django.contrib import admin

from coparcours.cej.models import (
    AllowanceScale,
    ContractDuration,
    DossierItemKind,
    EligibilityDerogation,
    FollowUpPreference,
    PartnershipSettings,
    SanctionScale,
    SanctionStep,
    VeilleDuration,
)


@admin.register(VeilleDuration)
class VeilleDurationAdmin(admin.ModelAdmin):
    list_display = ["start_date", "months", "source"]


@admin.register(ContractDuration)
class ContractDurationAdmin(admin.ModelAdmin):
    list_display = ["start_date", "planned_months", "max_total_months", "source"]


@admin.register(AllowanceScale)
class AllowanceScaleAdmin(admin.ModelAdmin):
    list_display = ["start_date", "adult_non_taxable", "adult_first_bracket", "minor"]


class SanctionStepInline(admin.TabularInline):
    model = SanctionStep
    extra = 0


@admin.register(SanctionScale)
class SanctionScaleAdmin(admin.ModelAdmin):
    list_display = ["start_date", "source"]
    inlines = [SanctionStepInline]


@admin.register(DossierItemKind)
class DossierItemKindAdmin(admin.ModelAdmin):
    list_display = ["label", "only_non_eu_adults", "position", "active"]
    list_editable = ["position", "active"]


@admin.register(EligibilityDerogation)
class EligibilityDerogationAdmin(admin.ModelAdmin):
    list_display = ["label", "departement_code", "months", "start_date", "end_date"]
    list_filter = ["departement_code"]


class FollowUpPreferenceInline(admin.TabularInline):
    model = FollowUpPreference
    extra = 0


@admin.register(PartnershipSettings)
class PartnershipSettingsAdmin(admin.ModelAdmin):
    list_display = ["partnership", "departement_code", "minimum_weekly_hours"]
    inlines = [FollowUpPreferenceInline]
