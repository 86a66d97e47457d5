"""Hand editing of the directory (structures, services, schemes) and read-only referrals."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from coparcours.directory.models import ReferenceValue, Referral, Scheme, Service, Structure


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
