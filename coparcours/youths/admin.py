"""Admin of the settings of youth records: the dated retention periods."""

from __future__ import annotations

from django.contrib import admin

from coparcours.youths.models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    """A new period is a new dated rule, so the rules applied in the past stay readable."""

    list_display = ("scope", "category", "months", "valid_from", "basis")
    list_filter = ("scope", "category")
    ordering = ("scope", "category", "-valid_from")
