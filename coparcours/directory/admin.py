"""Hand editing of the directory (structures, services, schemes), read-only referrals, and
the partners' guides (owner, review date; versions read-only) and meetings."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from coparcours.directory.models import (
    Guide,
    GuideVersion,
    LibraryPublisher,
    Meeting,
    ReferenceValue,
    Referral,
    Scheme,
    Service,
    Structure,
)


@admin.register(ReferenceValue)
class ReferenceValueAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "value_list", "parent_code"]
    list_filter = ["value_list"]
    search_fields = ["code", "label"]


# Links of the data·inclusion schema are absolute; typed without a scheme, assume https.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class ServiceInline(admin.TabularInline):
    model = Service
    fields = ["nom", "di_id", "commune", "date_maj"]
    extra = 0
    show_change_link = True


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["nom", "commune", "departement", "source", "organisation"]
    list_filter = ["departement", "source"]
    search_fields = ["nom", "di_id", "commune"]
    filter_horizontal = ["codes"]
    formfield_overrides = URL_FIELDS
    inlines = [ServiceInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["nom", "structure", "commune", "departement", "date_maj"]
    list_filter = ["departement", "source"]
    search_fields = ["nom", "di_id", "structure__nom"]
    autocomplete_fields = ["structure"]
    filter_horizontal = ["codes"]
    formfield_overrides = URL_FIELDS


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "min_age", "max_age", "min_months_without_contact"]
    filter_horizontal = ["incompatible_with", "themes", "operators"]
    search_fields = ["name", "short_name", "code"]


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    """Referrals change only through their services (consent, answers, expiry)."""

    list_display = ["service", "author_organisation", "status", "created_at", "expires_on"]
    list_filter = ["status"]
    fields = ["service", "author_organisation", "status", "refusal_reason", "expires_on"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class GuideVersionInline(admin.TabularInline):
    """Versions are published from the guide's page; the history is read-only here."""

    model = GuideVersion
    fields = ["number", "change_note", "original_name", "author", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    """Owner and review date may be corrected here; content changes by new versions only."""

    list_display = ["title", "consortium", "kind", "owner", "review_on"]
    list_filter = ["kind", "consortium"]
    search_fields = ["title"]
    fields = ["consortium", "kind", "title", "owner", "review_on"]
    readonly_fields = ["consortium"]
    inlines = [GuideVersionInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(LibraryPublisher)
class LibraryPublisherAdmin(admin.ModelAdmin):
    """Funders designate their territory's publishers from the library's page; a national
    publisher (every user) is designated here (docs/domain-rules.md, "The shared library")."""

    list_display = ["organisation", "level", "territory_code", "designated_by", "started_on"]
    list_filter = ["level", "ended_on"]
    search_fields = ["organisation__name"]
    fields = ["organisation", "level", "territory_code", "started_on", "ended_on"]
    autocomplete_fields = ["organisation"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Read-only: meetings change from their page, which keeps the ICS invitation in step."""

    list_display = ["title", "kind", "starts_at", "organiser_organisation"]
    list_filter = ["kind", "consortia"]
    search_fields = ["title"]
    fields = ["kind", "title", "starts_at", "ends_at", "location", "agenda", "minutes"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
