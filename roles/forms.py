from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.urls import reverse

from roles.models import Family, Role

COMPARE_FIELDS = ("a", "b", "c", "d")


class CompareForm(forms.Form):
    """Pick two to four roles; submitted by GET so the result is an ordinary, shareable URL."""

    # Any two of the four will do; clean() asks for at least two.
    a = forms.ChoiceField(label="First role", required=False)
    b = forms.ChoiceField(label="Second role", required=False)
    c = forms.ChoiceField(label="Third role (optional)", required=False)
    d = forms.ChoiceField(label="Fourth role (optional)", required=False)

    def __init__(self, *args, roles: list[Role], submit_label: str = "Compare", **kwargs):
        super().__init__(*args, **kwargs)
        order = list(Family.values)
        grouped: dict[str, list[tuple[str, str]]] = {}
        for role in sorted(roles, key=lambda r: (order.index(r.family), r.name)):
            grouped.setdefault(Family(role.family).label, []).append((role.slug, role.name))
        choices = list(grouped.items())
        for name in COMPARE_FIELDS:
            placeholder = "Choose a role" if name in ("a", "b") else "No role"
            self.fields[name].choices = [("", placeholder), *choices]

        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse("roles:compare")
        self.helper.form_class = "compare-form"
        self.helper.attrs = {"aria-label": "Compare roles"}
        self.helper.layout = Layout(
            Row(
                *(Column(name, css_class="col-sm-6 col-lg-3") for name in COMPARE_FIELDS),
            ),
            StrictButton(submit_label, type="submit", css_class="btn btn-primary"),
        )

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(name) for name in COMPARE_FIELDS if cleaned.get(name)]
        if len(chosen) < 2 and not self.errors:
            raise forms.ValidationError("Choose at least two roles to compare.", code="too_few")
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError("Choose each role only once.", code="repeated")
        return cleaned

    @property
    def slugs(self) -> list[str]:
        return [self.cleaned_data[name] for name in COMPARE_FIELDS if self.cleaned_data.get(name)]
