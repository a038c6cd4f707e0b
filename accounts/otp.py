"""The second factor, on django-otp's devices: an authenticator app (a confirmed TOTPDevice) and
its backup codes (a StaticDevice's tokens). The pages are in accounts/two_factor.py, the admin's
check in accounts/admin_site.py; this module is what both, and the sign-in forms, share.

A user "has two-factor" once they have a confirmed authenticator app. From then on every sign-in,
the site's and the admin's, asks for a code; a session is "verified" once a code has been given
in it (django-otp keeps the device in the session, and its middleware sets user.otp_device).
"""

import re
import secrets
from base64 import b32encode

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
# Backup codes are digits, like the app's codes, so that one numeric field takes both: 12 digits
# are 40 bits, as many as django-otp's own letter codes. The app's have 6: the length tells them
# apart.
BACKUP_CODE_DIGITS = 12
TOTP_DIGITS = 6

WRONG_CODE = (
    "That code is not right. Enter the 6-digit code your authenticator app shows now, "
    "or one of your backup codes."
)
THROTTLED = "Too many wrong codes in a row: wait a little (longer after each one), then try again."


def staff_must_use_two_factor() -> bool:
    """settings.STAFF_2FA, read on each request so that tests can turn it on and off."""
    return bool(getattr(settings, "STAFF_2FA", False))


def has_two_factor(user) -> bool:
    return bool(
        user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    )


def is_verified(user) -> bool:
    """Whether this session's sign-in was confirmed with a code. After django.contrib.auth's
    login() request.user is the bare user, without the middleware's is_verified(): this reads
    the same attribute, so it works on both."""
    return getattr(user, "otp_device", None) is not None


def needs_enrolment_for_admin(user) -> bool:
    """A staff user whom the admin must send to set up (or confirm) their second factor."""
    return (
        staff_must_use_two_factor() and user.is_active and user.is_staff and not is_verified(user)
    )


def normalise(code: str) -> str:
    """Spaces and hyphens are for reading a code aloud or off paper; they are not part of it."""
    return re.sub(r"[\s-]", "", code or "")


def check_code(user, code: str):
    """The user's device that accepts `code` (which it then will not accept again), or a
    ValidationError that says why not. Six digits go to the authenticator app, twelve to the
    backup codes: a wrong code counts against one device only, the one it was meant for."""
    code = normalise(code)
    if re.fullmatch(rf"[0-9]{{{TOTP_DIGITS}}}", code):
        model = TOTPDevice
    elif re.fullmatch(rf"[0-9]{{{BACKUP_CODE_DIGITS}}}", code):
        model = StaticDevice
    else:
        raise ValidationError(WRONG_CODE, code="invalid_code")
    for device in model.objects.devices_for_user(user, confirmed=True):
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            raise ValidationError(THROTTLED, code="throttled")
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    raise ValidationError(WRONG_CODE, code="invalid_code")


def code_field(**kwargs) -> forms.CharField:
    """A field for an app's code or a backup code: numeric keyboard, the browser's one-time-code
    autofill; long enough for a backup code typed with spaces."""
    options = {
        "label": "Authentication code",
        "max_length": 32,
        "help_text": "The 6-digit code your authenticator app shows, or one of your backup codes.",
        "widget": forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    }
    options.update(kwargs)
    return forms.CharField(**options)


class SecondFactorLoginMixin(forms.Form):
    """For an AuthenticationForm (the site's and the admin's): once the password is right, a user
    who has two-factor must also give a code. A wrong code is a failed sign-in for django-axes, as
    a wrong password is, so guessing codes ends in the same lockout. On success the device goes on
    the user, and django-otp's user_logged_in handler keeps it in the session."""

    otp_token = code_field(
        required=False,
        help_text=(
            "Only if you have turned on two-factor sign-in: the 6-digit code your authenticator "
            "app shows, or one of your backup codes."
        ),
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is None or not has_two_factor(user):
            return cleaned_data
        code = cleaned_data.get("otp_token", "")
        if not code:
            self.add_error(
                "otp_token",
                ValidationError(
                    "This account has two-factor sign-in: enter the 6-digit code your "
                    "authenticator app shows, or one of your backup codes.",
                    code="code_required",
                ),
            )
            return cleaned_data
        try:
            user.otp_device = check_code(user, code)
        except ValidationError as error:
            self.add_error("otp_token", error)
            user_login_failed.send(
                sender=type(self),
                credentials={"username": user.get_username()},
                request=self.request,
            )
        return cleaned_data


def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes with BACKUP_CODE_COUNT new ones, and return them (to be
    shown this once)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [
        "".join(secrets.choice("0123456789") for _ in range(BACKUP_CODE_DIGITS))
        for _ in range(BACKUP_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def show_code(code: str) -> str:
    """A backup code in groups of four, easier to copy out by hand."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def pending_device(user, key: str) -> TOTPDevice:
    """An unsaved authenticator device with this key: what the setup page shows and checks."""
    return TOTPDevice(user=user, key=key, name=APP_DEVICE_NAME, digits=TOTP_DIGITS)


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as a QR code in inline SVG, drawn here (segno): nothing is
    fetched, and the markup has no style attributes or scripts, so the CSP allows it."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", svgclass="two-factor__qr"
    )
    # segno's own markup: the address is encoded in the path data, not in text.
    return mark_safe(svg)  # noqa: S308


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """The key as authenticator apps take it typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
