"""Admin of the evaluation campaigns (their criteria, self-assessments and improvement
actions) and of the funders' stored publications."""

from django.contrib import admin

from coparcours.reporting.models import (
    Campaign,
    Criterion,
    FunderPublication,
    ImprovementAction,
    SelfAssessment,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "consortium", "due_on"]
    list_filter = ["kind"]
    inlines = [CriterionInline]


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin):
    list_display = ["criterion", "organisation", "score"]


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin):
    list_display = ["action", "organisation", "owner", "due_on"]


@admin.register(FunderPublication)
class FunderPublicationAdmin(admin.ModelAdmin):
    """Read only: a publication is what funders read; it is recomputed, never edited."""

    list_display = ["year", "scope", "published_at"]
    readonly_fields = ["scope", "year", "periods", "tables", "suppressed", "published_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
