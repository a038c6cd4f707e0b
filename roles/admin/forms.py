"""Admin forms: the rules editors meet, each with a message that says what to do."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from roles.admin.base import missing_values
from roles.models import FAQ, Comparison, Criterion, Guide, Reference


class ComparisonAdminForm(forms.ModelForm):
    class Meta:
        model = Comparison
        fields = [
            "role_a",
            "role_b",
            "title",
            "intro",
            "key_differences",
            "choose_if",
            "verdict",
            "published",
            "reviewed_on",
        ]

    def clean(self):
        cleaned = super().clean()
        role_a, role_b = cleaned.get("role_a"), cleaned.get("role_b")
        if not (role_a and role_b):
            return cleaned
        if role_a == role_b:
            self.add_error(
                "role_b", "Choose two different roles: a role cannot be compared with itself."
            )
            return cleaned
        other = Comparison.objects.for_pair(role_a, role_b).exclude(pk=self.instance.pk).first()
        if other:
            self.add_error(
                "role_b",
                f"{role_a} and {role_b} already have a comparison, “{other.title}”: there is one "
                "comparison per pair of roles, whatever their order. Edit that one instead.",
            )
        elif cleaned.get("published"):
            problems = missing_values(role_a, role_b, Criterion.objects.published())
            if problems:
                self.add_error(
                    "published",
                    "To publish, both roles need a value for every criterion: "
                    f"{'; '.join(problems)}. Fill them in on the roles' pages, or save as a draft.",
                )
        return cleaned


class GuideAdminForm(forms.ModelForm):
    class Meta:
        model = Guide
        fields = [
            "from_role",
            "to_role",
            "summary",
            "difficulty",
            "months_min",
            "months_max",
            "published",
            "reviewed_on",
        ]

    def clean(self):
        cleaned = super().clean()
        from_role, to_role = cleaned.get("from_role"), cleaned.get("to_role")
        if from_role and to_role:
            if from_role == to_role:
                self.add_error("to_role", "Choose two different roles: a guide moves between two.")
            else:
                other = Guide.objects.filter(from_role=from_role, to_role=to_role)
                if other.exclude(pk=self.instance.pk).exists():
                    self.add_error(
                        "to_role",
                        f"There is already a guide from {from_role} to {to_role}. Edit that one "
                        "instead (a guide the other way round is a different guide).",
                    )
        months_min, months_max = cleaned.get("months_min"), cleaned.get("months_max")
        if months_min is not None and months_min < 1:
            self.add_error("months_min", "A move takes at least 1 month.")
        elif months_min is not None and months_max is not None and months_max < months_min:
            self.add_error(
                "months_max",
                f"The longest time cannot be shorter than the shortest ({months_min} months).",
            )
        return cleaned


class TopicForm(forms.ModelForm):
    """FAQs and references belong to one comparison, one guide, or neither (general)."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("comparison") and cleaned.get("guide"):
            self.add_error(
                "guide",
                "Attach it to one comparison or one guide, not both (or to neither: general).",
            )
        return cleaned


class FAQAdminForm(TopicForm):
    class Meta:
        model = FAQ
        fields = [
            "question",
            "slug",
            "answer",
            "position",
            "comparison",
            "guide",
            "published",
            "reviewed_on",
        ]


class ReferenceAdminForm(TopicForm):
    class Meta:
        model = Reference
        fields = ["title", "url", "position", "comparison", "guide", "published"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise ValidationError("Use a web address that starts with https:// (or http://).")
        return url


# --- Inline formsets ---


class CriterionRowsFormSet(BaseInlineFormSet):
    """One row per criterion: the parent's rows, then a pre-filled row for each missing one.

    A pre-filled row left empty is not saved; `missing_criteria` is set per request.
    """

    missing_criteria: list[Criterion] = []
    criterion_names: dict[int, str] = {}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", [{"criterion": c.pk} for c in self.missing_criteria])
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        """Each row is headed by its criterion's name (admin/edit_inline/stacked_prose.html)."""
        form = super()._construct_form(i, **kwargs)
        criterion = form.instance.criterion_id or form.initial.get("criterion")
        form.row_heading = self.criterion_names.get(criterion, "")
        return form


class OrderedRowsFormSet(BaseInlineFormSet):
    """Rows ordered by position; the empty row offers the next position."""

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        queryset = kwargs.get("queryset")
        positions = []
        if instance is not None and instance.pk is not None and queryset is not None:
            positions = [row.position for row in queryset.filter(**{self.fk.name: instance})]
        kwargs.setdefault("initial", [{"position": max(positions, default=0) + 1}])
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        """A saved row is headed "<position>. <title or question>"; a new one "New <thing>"."""
        form = super()._construct_form(i, **kwargs)
        row = form.instance
        if row.pk is not None:
            label = getattr(row, "title", None) or getattr(row, "question", "")
            form.row_heading = f"{row.position}. {label}"
        return form


class StepsFormSet(OrderedRowsFormSet):
    def clean(self):
        super().clean()
        if not self.instance.published:
            return
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        if not kept:
            raise ValidationError(
                "A guide needs at least one step before it can be published: add a step, "
                "or untick Published to keep it as a draft."
            )
