"""django.contrib.auth's forms with the site's crispy layout."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.contrib.auth.models import User

from accounts.otp import SecondFactorLoginMixin


class _AccountFormLayout:
    """Gives one of django.contrib.auth's forms our crispy layout and a submit button."""

    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_class = "account-form"
        self.helper.add_input(Submit("submit", self.submit_label, css_class="btn btn-primary"))


class LoginForm(_AccountFormLayout, SecondFactorLoginMixin, AuthenticationForm):
    """Username and password, and a code for those who have turned on two-factor sign-in."""

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
