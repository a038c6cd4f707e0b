"""Inline rows: edited on their parent's page and kept in the parent's revision history."""

from django.contrib import admin
from django.utils.text import capfirst

from roles.admin.base import text_overrides
from roles.admin.forms import (
    CriterionRowsFormSet,
    FAQAdminForm,
    OrderedRowsFormSet,
    ReferenceAdminForm,
    StepsFormSet,
)
from roles.admin.preview import MarkdownPreviewMixin
from roles.models import (
    FAQ,
    ComparisonSection,
    Criterion,
    GuideStep,
    Reference,
    RoleCriterionValue,
    RoleSkill,
)


class ProseInline(MarkdownPreviewMixin, admin.StackedInline):
    """Stacked rows sized for prose (admin-extra/editors.css), each headed by what it is about."""

    template = "admin/edit_inline/stacked_prose.html"
    classes = ["prose-rows"]


class CriterionRowsInline(ProseInline):
    """One row per criterion, pre-filled for the criteria the parent has no row for yet."""

    formset = CriterionRowsFormSet
    formfield_overrides = text_overrides(rows=2)
    extra = 0
    parent_field = ""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "criterion":  # a short fixed list: no add/change/view buttons
            for flag in ("can_add_related", "can_change_related", "can_view_related"):
                setattr(formfield.widget, flag, False)
        return formfield

    def get_formset(self, request, obj=None, **kwargs):
        have = set()
        if obj is not None and obj.pk is not None:
            have = set(
                self.model.objects.filter(**{self.parent_field: obj}).values_list(
                    "criterion_id", flat=True
                )
            )
        criteria = list(Criterion.objects.all())
        missing = [criterion for criterion in criteria if criterion.pk not in have]
        kwargs["extra"] = len(missing)
        formset = super().get_formset(request, obj, **kwargs)
        formset.missing_criteria = missing
        formset.criterion_names = {criterion.pk: criterion.name for criterion in criteria}
        return formset


class RoleCriterionValueInline(CriterionRowsInline):
    model = RoleCriterionValue
    parent_field = "role"
    fields = ["criterion", "value", "detail"]
    verbose_name = "value for a criterion"
    verbose_name_plural = "The role on each criterion (empty rows are not saved)"


class LabelledTabularInline(admin.TabularInline):
    """Table rows whose inputs carry their column's name: Django's name each one by its column
    header alone, which screen readers (and axe) do not take for a label."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            formfield.widget.attrs.setdefault("aria-label", capfirst(db_field.verbose_name))
        return formfield

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class Labelled(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                if "DELETE" in form.fields:
                    form.fields["DELETE"].widget.attrs["aria-label"] = "Delete this row"

        Labelled.__name__ = formset.__name__
        return Labelled


class RoleSkillInline(LabelledTabularInline):
    """A plain select of the editors' skills (a few dozen): select2's box for an empty row
    had no accessible name."""

    model = RoleSkill
    extra = 1


class ComparisonSectionInline(CriterionRowsInline):
    model = ComparisonSection
    parent_field = "comparison"
    fields = ["criterion", "body"]
    verbose_name = "narrative section"
    verbose_name_plural = (
        "Narrative under the table, one section per criterion (empty rows are not saved)"
    )


class FAQInline(ProseInline):
    model = FAQ
    form = FAQAdminForm
    formset = OrderedRowsFormSet
    extra = 1
    fields = ["question", "slug", "answer", "position", "published"]
    prepopulated_fields = {"slug": ["question"]}
    formfield_overrides = text_overrides(rows=4)
    verbose_name_plural = "Frequently asked questions on this page, in order of position"


class ReferenceInline(LabelledTabularInline):
    model = Reference
    form = ReferenceAdminForm
    formset = OrderedRowsFormSet
    extra = 1
    fields = ["title", "url", "position", "published"]
    classes = ["reference-rows"]
    verbose_name_plural = "References on this page, in order of position"


class GuideStepInline(ProseInline):
    model = GuideStep
    formset = StepsFormSet
    extra = 1
    fields = ["position", "title", "body"]
    formfield_overrides = text_overrides(rows=5)
    verbose_name_plural = "Steps, in order of position"
