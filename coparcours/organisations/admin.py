from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from coparcours.organisations.models import Consortium, ConsortiumMember, Membership, Organisation
from coparcours.organisations.services import lead_count_error


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("organisation", "role", "start_date", "end_date")
    autocomplete_fields = ("organisation",)
    can_delete = False  # memberships end with a date; history and audit keep their meaning


class ConsortiumMemberFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        leads = [
            form.cleaned_data.get("is_lead", False)
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        error = lead_count_error(sum(leads))
        if error:
            raise ValidationError(error)


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
    inlines = [ConsortiumMemberInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "start_date", "end_date")
    list_filter = ("role", "organisation")
    search_fields = ("user__email", "user__last_name", "organisation__name")
    autocomplete_fields = ("user", "organisation")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
