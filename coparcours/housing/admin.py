"""Administration of the housing: dated settings, sites, waves and capacity (history kept)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coparcours.housing.models import CapacityChange, HousingSettings, Site, SiteLoan, Wave


@admin.register(HousingSettings)
class HousingSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "valid_from",
        "preparation_interview_days",
        "coordinator_alert_days",
        "saturation_threshold_percent",
        "after_18_max_age",
    ]


class CapacityChangeInline(admin.TabularInline):
    model = CapacityChange
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
