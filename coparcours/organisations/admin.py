"""Admin of organisations, consortia and memberships: the administrator builds the territory.

The inline formsets apply the rules the database cannot see across rows of one form: a
consortium has exactly one lead (CCP R.2142-24), and one person holds a role in an
organisation at most once on any day.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from coparcours.organisations.models import (
    DUPLICATE_MEMBERSHIP,
    Consortium,
    ConsortiumMember,
    Membership,
    Organisation,
    periods_overlap,
)
from coparcours.organisations.services import lead_count_error


def _kept_rows(formset: BaseInlineFormSet) -> list[dict]:
    """Cleaned data of the rows that will be saved (filled in, not marked for deletion)."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
    ]


class MembershipFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """Refuse two rows giving the same role in the same organisation on a common day."""
        super().clean()
        rows = [
            row
            for row in _kept_rows(self)
            if row.get("organisation") and row.get("role") and row.get("start_date")
        ]
        for index, row in enumerate(rows):
            for other in rows[index + 1 :]:
                if (
                    row["organisation"] == other["organisation"]
                    and row["role"] == other["role"]
                    and periods_overlap(
                        row["start_date"],
                        row.get("end_date"),
                        other["start_date"],
                        other.get("end_date"),
                    )
                ):
                    raise ValidationError(DUPLICATE_MEMBERSHIP, code="duplicate_membership")


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    fields = ("organisation", "role", "start_date", "end_date")
    autocomplete_fields = ("organisation",)
    can_delete = False  # memberships end with a date; history and audit keep their meaning


class ConsortiumMemberFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """Exactly one lead member among the rows kept."""
        super().clean()
        error = lead_count_error(sum(bool(row.get("is_lead")) for row in _kept_rows(self)))
        if error:
            raise ValidationError(error, code="lead_count")

    def get_unique_error_message(self, unique_check) -> str:
        """The constraint's own French message instead of Django's generic one."""
        for constraint in ConsortiumMember._meta.total_unique_constraints:
            if set(constraint.fields) == set(unique_check):
                return constraint.violation_error_message
        return super().get_unique_error_message(unique_check)


class ConsortiumMemberInline(admin.TabularInline):
    model = ConsortiumMember
    formset = ConsortiumMemberFormSet
    extra = 0
    min_num = 1
    fields = ("organisation", "is_lead", "joined_on", "left_on")
    autocomplete_fields = ("organisation",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "siret", "city", "departement_code")
    list_filter = ("kind", "departement_code")
    search_fields = ("name", "siret", "city")
    fieldsets = (
        (None, {"fields": ("kind", "name", "siret", "departement_code")}),
        ("Adresse", {"fields": ("address", "postal_code", "city")}),
    )


@admin.register(Consortium)
class ConsortiumAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "funder", "start_date", "end_date", "renewal_date")
    list_filter = ("kind",)
    search_fields = ("name",)
    autocomplete_fields = ("funder",)
    list_select_related = ("funder",)
    inlines = [ConsortiumMemberInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "start_date", "end_date")
    list_filter = ("role", "organisation")
    search_fields = ("user__email", "user__last_name", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # memberships end with a date; history and audit keep their meaning
