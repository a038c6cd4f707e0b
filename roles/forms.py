from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.contrib.auth.models import User
from django.db.models import TextChoices
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


# --- Reader actions: explicit target states, so a repeated POST changes nothing more ---

_STATE_CHOICES = [("1", "yes"), ("0", "no")]


def _state_field():
    return forms.TypedChoiceField(
        choices=_STATE_CHOICES, coerce=lambda value: value == "1", required=False, empty_value=None
    )


class BookmarkForm(forms.Form):
    bookmarked = _state_field()


class StepProgressForm(forms.Form):
    completed = _state_field()


# --- Accounts: django.contrib.auth's forms with a crispy layout ---


class _AccountFormLayout:
    """Gives one of django.contrib.auth's forms our crispy layout and a submit button."""

    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_class = "account-form"
        self.helper.add_input(Submit("submit", self.submit_label, css_class="btn btn-primary"))


class LoginForm(_AccountFormLayout, AuthenticationForm):
    submit_label = "Sign in"


class SignupForm(_AccountFormLayout, UserCreationForm):
    submit_label = "Create account"
    email = forms.EmailField(
        required=False,
        help_text="Optional. Only used if you ask to reset your password.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class CrispyPasswordChangeForm(_AccountFormLayout, PasswordChangeForm):
    submit_label = "Change password"


class CrispyPasswordResetForm(_AccountFormLayout, PasswordResetForm):
    submit_label = "Send reset link"


class CrispySetPasswordForm(_AccountFormLayout, SetPasswordForm):
    submit_label = "Set new password"


class PathFilterForm(forms.Form):
    """Filter the guide list by the role a reader is leaving and the one they want.

    The query string says ?from= and ?to=, so the fields are added by name in __init__.
    """

    def __init__(self, *args, roles: list[Role], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Any role"), *((role.slug, role.name) for role in roles)]
        self.fields["from"] = forms.ChoiceField(label="From", required=False, choices=choices)
        self.fields["to"] = forms.ChoiceField(label="To", required=False, choices=choices)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "path-filter"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("from", css_class="col-sm-5"),
                Column("to", css_class="col-sm-5"),
                Column(
                    StrictButton("Show guides", type="submit", css_class="btn btn-primary"),
                    css_class="col-sm-2 d-flex align-items-end mb-3",
                ),
            )
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search roles, comparisons, guides and questions",
        max_length=200,
        required=False,
        error_messages={"max_length": "Please use at most %(limit_value)d characters."},
    )

    def __init__(self, *args, header: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs["enterkeyhint"] = "search"
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse("roles:search")
        self.helper.disable_csrf = True
        self.helper.form_class = "site-search" if header else "search-form"
        self.helper.attrs = {"role": "search"}
        if header:
            self.helper.label_class = "visually-hidden"
            self.fields["q"].label = "Search"
            self.fields["q"].widget.attrs["placeholder"] = "Search"
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col"),
                Column(
                    StrictButton("Search", type="submit", css_class="btn btn-primary"),
                    css_class="col-auto",
                ),
                css_class="g-2 align-items-end",
            )
        )


# --- Appearance ---

THEME_COOKIE = "theme"


class Theme(TextChoices):
    """The reader's colour scheme; "auto" follows the system setting."""

    AUTO = "auto", "Auto"
    LIGHT = "light", "Light"
    DARK = "dark", "Dark"


class ThemeForm(forms.Form):
    theme = forms.ChoiceField(choices=Theme.choices)
