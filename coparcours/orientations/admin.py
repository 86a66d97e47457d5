"""The partnerships' public pages, read in the administration (their orientations hold a
youth's details and are read on their audited page only)."""

from __future__ import annotations

from django.contrib import admin

from coparcours.orientations.models import OrientationPage


@admin.register(OrientationPage)
class OrientationPageAdmin(admin.ModelAdmin):
    list_display = ["consortium", "is_open", "updated_at"]
    readonly_fields = ["consortium", "is_open", "token", "changed_by"]
    fields = ["consortium", "is_open", "token", "changed_by"]

    def has_add_permission(self, request) -> bool:
        return False
