"""Basic registration of every content model; the full editing experience grows from here."""

from django.contrib import admin

from roles import models


class RoleCriterionValueInline(admin.TabularInline):
    model = models.RoleCriterionValue
    extra = 0
    autocomplete_fields = ["criterion"]


class RoleSkillInline(admin.TabularInline):
    model = models.RoleSkill
    extra = 0
    autocomplete_fields = ["skill"]


@admin.register(models.Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "family", "published", "updated_at"]
    list_filter = ["family", "published"]
    search_fields = ["name", "alternative_titles", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RoleCriterionValueInline, RoleSkillInline]


@admin.register(models.Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ComparisonSectionInline(admin.StackedInline):
    model = models.ComparisonSection
    extra = 0


class FAQInline(admin.StackedInline):
    model = models.FAQ
    extra = 0
    prepopulated_fields = {"slug": ["question"]}


class ReferenceInline(admin.TabularInline):
    model = models.Reference
    extra = 0


@admin.register(models.Comparison)
class ComparisonAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "published", "updated_at"]
    list_filter = ["published"]
    search_fields = ["title", "role_a__name", "role_b__name"]
    autocomplete_fields = ["role_a", "role_b"]
    readonly_fields = ["slug"]
    inlines = [ComparisonSectionInline, FAQInline, ReferenceInline]


class TransitionStepInline(admin.StackedInline):
    model = models.TransitionStep
    extra = 0


@admin.register(models.TransitionPath)
class TransitionPathAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "difficulty", "published", "updated_at"]
    list_filter = ["difficulty", "published"]
    search_fields = ["from_role__name", "to_role__name", "summary"]
    autocomplete_fields = ["from_role", "to_role"]
    readonly_fields = ["slug"]
    inlines = [TransitionStepInline, FAQInline, ReferenceInline]


@admin.register(models.FAQ)
class FAQAdmin(admin.ModelAdmin):
    list_display = ["question", "comparison", "transition", "position", "published"]
    list_filter = ["published"]
    search_fields = ["question", "answer"]
    prepopulated_fields = {"slug": ["question"]}


@admin.register(models.Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["title", "url", "comparison", "transition"]
    search_fields = ["title", "url"]
