"""Admin of organisations, consortia and memberships: the administrator builds the territory.

The inline formsets apply the rules the database cannot see across rows of one form: a
consortium has exactly one lead (CCP R.2142-24), and one person holds a role in an
organisation at most once on any day. Memberships, wherever edited, are saved by
``organisations.services.save_membership``, which refuses a grant to oneself and writes
each change to the audit log.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from coparcours.organisations.models import (
    DUPLICATE_MEMBERSHIP,
    Consortium,
    ConsortiumMember,
    Membership,
    Organisation,
    periods_overlap,
)
from coparcours.organisations.services import (
    MembershipTerms,
    lead_count_error,
    record_override_change,
    save_membership,
    self_grant_error,
)


def _kept_rows(formset: BaseInlineFormSet) -> list[dict]:
    """Cleaned data of the rows that will be saved (filled in, not marked for deletion)."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
    ]


class MembershipForm(forms.ModelForm):
    """A membership's form; ``actor`` (the person saving it, set per request) may not give
    themself a membership nor widen their own."""

    actor: Any = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.terms_before = MembershipTerms.of(self.instance) if self.instance.pk else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if all(cleaned.get(name) for name in ("user", "organisation", "role", "start_date")):
            after = MembershipTerms(
                cleaned["user"].pk,
                cleaned["organisation"].pk,
                cleaned["role"],
                cleaned["start_date"],
                cleaned.get("end_date"),
            )
            error = self_grant_error(self.actor, self.terms_before, after)
            if error:
                raise ValidationError(error, code="self_grant")
        return cleaned


def _membership_form_for(request: HttpRequest) -> type[MembershipForm]:
    return type(MembershipForm.__name__, (MembershipForm,), {"actor": request.user})


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

    def save_new(self, form: MembershipForm, commit: bool = True) -> Membership:
        """A membership given: through the service, which audits it."""
        membership = super().save_new(form, commit=False)
        return save_membership(membership, None, by=self.form.actor) if commit else membership

    def save_existing(
        self, form: MembershipForm, obj: Membership, commit: bool = True
    ) -> Membership:
        """A membership changed: through the service, which audits before and after."""
        membership = form.save(commit=False)
        if not commit:
            return membership
        return save_membership(membership, form.terms_before, by=self.form.actor)


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    formset = MembershipFormSet
    extra = 0
    fields = ("organisation", "role", "start_date", "end_date")
    autocomplete_fields = ("organisation",)
    can_delete = False  # memberships end with a date; history and audit keep their meaning

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        return super().get_formset(request, obj, form=_membership_form_for(request), **kwargs)


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
        ("Droits", {"fields": ("capability_overrides",)}),
    )

    def save_model(
        self, request: HttpRequest, obj: Organisation, form: forms.ModelForm, change: bool
    ) -> None:
        before = Organisation.objects.get(pk=obj.pk).capability_overrides if change else {}
        super().save_model(request, obj, form, change)
        record_override_change(request.user, obj, before or {})


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
    form = MembershipForm

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        return super().get_form(request, obj, change, form=_membership_form_for(request), **kwargs)

    def save_model(
        self, request: HttpRequest, obj: Membership, form: MembershipForm, change: bool
    ) -> None:
        save_membership(obj, form.terms_before, by=request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # memberships end with a date; history and audit keep their meaning
