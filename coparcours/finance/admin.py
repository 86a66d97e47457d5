"""Administration of the money: the dated billing settings, read-only views of invoices
(immutable) and of the rates' history."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coparcours.finance.models import DailyRate, FinanceSettings, Invoice


@admin.register(FinanceSettings)
class FinanceSettingsAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "day_count", "payment_days"]


@admin.register(DailyRate)
class DailyRateAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "kind", "start_date", "end_date", "amount", "decision"]
    list_filter = ["consortium", "kind"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "period_start", "issued_on", "total"]
    list_filter = ["consortium", "kind"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
