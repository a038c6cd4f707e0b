"""The editors' admin: every content model, with drafts, history and revert.

Editors (the "Editors" group, see `manage.py create_editor`) may add, change, delete and view the
content models and nothing else. Saving, deleting, publishing or reverting bumps the content
version (roles.caching), so public pages show the change at once whatever caching sits in front.
"""

from django.contrib import admin

from roles import models
from roles.admin.base import ContentAdmin, missing_values
from roles.admin.forms import (
    ComparisonAdminForm,
    FAQAdminForm,
    GuideAdminForm,
    ReferenceAdminForm,
)
from roles.admin.inlines import (
    ComparisonSectionInline,
    FAQInline,
    GuideStepInline,
    ReferenceInline,
    RoleCriterionValueInline,
    RoleSkillInline,
)
from roles.registry import register_content_models

# The admin loads before the app is ready; register with our follows before VersionAdmin would
# register each model with follows guessed from its inlines.
register_content_models()


@admin.register(models.Role)
class RoleAdmin(ContentAdmin):
    list_display = ["name", "slug", "family", "published", "reviewed_on", "updated_at"]
    list_filter = ["published", "source", "reviewed_on", "family"]
    search_fields = ["name", "alternative_titles", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "family",
                    "summary",
                    "description",
                    "alternative_titles",
                    "published",
                    "reviewed_on",
                    "onet_code",
                    "source",
                    "release",
                ]
            },
        ),
        (
            "Pay",
            {
                "description": (
                    "Pages show the BLS OEWS figures for the role's O*NET-SOC code. Give your "
                    "own median (and, if you like, the 10th and 90th percentiles) to show yours "
                    "instead, labelled as the editors' figure; or hide pay for this role."
                ),
                "fields": [
                    "pay_median_override",
                    ("pay_p10_override", "pay_p90_override"),
                    "pay_hidden",
                    "pay_note",
                ],
            },
        ),
    ]
    readonly_fields = ["source", "release"]
    inlines = [RoleCriterionValueInline, RoleSkillInline]


@admin.register(models.OccupationPay)
class OccupationPayAdmin(admin.ModelAdmin):
    """What import_oews stored, to look up; the figures come from the release, so nothing here
    is typed (an editor's figure for a role goes on the role)."""

    list_display = ["soc_code", "title", "group", "annual_median", "employment", "release"]
    list_filter = ["group", "release"]
    search_fields = ["soc_code", "title"]
    ordering = ["soc_code"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Criterion)
class CriterionAdmin(ContentAdmin):
    list_display = ["name", "position", "slug", "published"]
    list_display_links = ["name"]
    list_editable = ["position"]
    list_filter = ["published"]
    search_fields = ["name", "question"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["position", "name"]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "subtitle": "Change the positions and save to reorder every table on the site.",
        }
        return super().changelist_view(request, extra_context)


@admin.register(models.Skill)
class SkillAdmin(ContentAdmin):
    list_display = ["name", "slug", "published"]
    list_filter = ["published"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Comparison)
class ComparisonAdmin(ContentAdmin):
    form = ComparisonAdminForm
    list_display = ["title", "slug", "published", "reviewed_on", "updated_at"]
    list_filter = ["published", "reviewed_on"]
    list_select_related = ["role_a", "role_b"]
    search_fields = ["title", "role_a__name", "role_b__name"]
    autocomplete_fields = ["role_a", "role_b"]
    readonly_fields = ["slug"]
    fields = [
        "role_a",
        "role_b",
        "slug",
        "title",
        "intro",
        "key_differences",
        "choose_if",
        "verdict",
        "published",
        "reviewed_on",
    ]
    inlines = [ComparisonSectionInline, FAQInline, ReferenceInline]

    def publish_problems(self, obj) -> list[str]:
        problems = missing_values(obj.role_a, obj.role_b, models.Criterion.objects.published())
        if problems:
            return ["both roles need a value for every criterion", *problems]
        return []


@admin.register(models.Guide)
class GuideAdmin(ContentAdmin):
    form = GuideAdminForm
    list_display = ["__str__", "slug", "difficulty", "published", "reviewed_on", "updated_at"]
    list_filter = ["published", "difficulty", "reviewed_on"]
    list_select_related = ["from_role", "to_role"]
    search_fields = ["from_role__name", "to_role__name", "summary"]
    autocomplete_fields = ["from_role", "to_role"]
    readonly_fields = ["slug"]
    fields = [
        "from_role",
        "to_role",
        "slug",
        "summary",
        "difficulty",
        "months_min",
        "months_max",
        "published",
        "reviewed_on",
    ]
    inlines = [GuideStepInline, FAQInline, ReferenceInline]

    def publish_problems(self, obj) -> list[str]:
        return [] if obj.steps.exists() else ["a guide needs at least one step"]


@admin.register(models.FAQ)
class FAQAdmin(ContentAdmin):
    form = FAQAdminForm
    list_display = ["question", "comparison", "guide", "position", "published", "reviewed_on"]
    list_filter = ["published", "reviewed_on"]
    list_select_related = ["comparison", "guide__from_role", "guide__to_role"]
    search_fields = ["question", "answer"]
    prepopulated_fields = {"slug": ["question"]}
    autocomplete_fields = ["comparison", "guide"]


class LinkCheckFilter(admin.SimpleListFilter):
    """What the last `manage.py check_links` found."""

    title = "link check"
    parameter_name = "link"

    def lookups(self, request, model_admin):
        return [
            ("broken", "Broken"),
            ("redirected", "Working, redirected"),
            ("working", "Working"),
            ("unchecked", "Not checked yet"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "broken":
                return queryset.broken()
            case "redirected":
                return queryset.filter(link_ok=True).exclude(link_final_url="")
            case "working":
                return queryset.filter(link_ok=True)
            case "unchecked":
                return queryset.filter(link_checked_at__isnull=True)
        return queryset


@admin.register(models.Reference)
class ReferenceAdmin(ContentAdmin):
    form = ReferenceAdminForm
    list_display = ["title", "url", "link_result", "comparison", "guide", "position", "published"]
    list_filter = [LinkCheckFilter, "published"]
    list_select_related = ["comparison", "guide__from_role", "guide__to_role"]
    search_fields = ["title", "url"]
    autocomplete_fields = ["comparison", "guide"]
    readonly_fields = [
        "link_result",
        "link_checked_at",
        "link_status",
        "link_final_url",
        "link_error",
    ]

    @admin.display(description="link check", ordering="link_ok")
    def link_result(self, obj) -> str:
        if obj.link_checked_at is None:
            return "Not checked yet"
        if not obj.link_ok:
            return f"Broken: {obj.link_error or obj.link_status}"
        if obj.link_final_url:
            return f"Working, redirected to {obj.link_final_url}"
        return "Working"


@admin.register(models.Family)
class FamilyAdmin(ContentAdmin):
    list_display = ["name", "position", "slug", "soc_major_group"]
    list_display_links = ["name"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "position", "description", "soc_major_group"]
