from django.contrib import admin

from coparcours.reporting.models import Campaign, Criterion, ImprovementAction, SelfAssessment


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
