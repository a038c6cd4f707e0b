"""django.contrib.auth's forms with the site's crispy layout."""

import logging

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

logger = logging.getLogger(__name__)


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's defaults read like a rule book; say the same in plain words.
        self.fields[
            "username"
        ].help_text = "The name you sign in with: up to 150 letters, numbers or the signs @ . + - _"
        self.fields["password1"].help_text = (
            "At least 8 characters. Avoid common passwords, numbers only, "
            "and anything close to your username."
        )


class CrispyPasswordChangeForm(_AccountFormLayout, PasswordChangeForm):
    submit_label = "Change password"


class CrispyPasswordResetForm(_AccountFormLayout, PasswordResetForm):
    """Keeps the reset mail until `send_kept_mail()`, which the view calls once the response has
    gone: a request for an address with an account then takes as long as one without, so the
    timing does not tell which addresses have accounts."""

    submit_label = "Send reset link"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_mail: list[tuple[tuple, dict]] = []

    def send_mail(self, *args, **kwargs):
        self.kept_mail.append((args, kwargs))

    def send_kept_mail(self) -> None:
        for args, kwargs in self.kept_mail:
            try:
                super().send_mail(*args, **kwargs)
            except Exception:  # after the response, nobody else would see it: log it
                logger.exception("The password reset e-mail could not be sent")


class CrispySetPasswordForm(_AccountFormLayout, SetPasswordForm):
    submit_label = "Set new password"


class DeleteAccountForm(_AccountFormLayout, forms.Form):
    """Deleting an account asks for its password, so a borrowed session cannot do it."""

    submit_label = "Delete my account"
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Your bookmarks and progress go with the account. This cannot be undone.",
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.helper.inputs[0].field_classes = "btn btn-danger"

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="password_incorrect")
        return password
