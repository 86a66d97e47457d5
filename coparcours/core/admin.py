from django.contrib import admin

from coparcours.core.models import AuditLog, OutboxMessage


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only (no add, change or delete)."""

    list_display = ("at", "user_email", "organisation_name", "event", "youth_id", "category")
    list_filter = ("event", "category", "organisation_name")
    search_fields = ("user_email", "organisation_name", "youth_id", "object_id", "reason")
    date_hierarchy = "at"
    list_select_related = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """What the demo sent (``outbox://``): read, never written."""

    list_display = ("sent_at", "channel", "recipients", "subject")
    list_filter = ("channel",)
    search_fields = ("recipients", "subject", "body")
    date_hierarchy = "sent_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
