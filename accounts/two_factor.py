"""The two-factor pages under /accounts/two-factor/: turn it on with an authenticator app (a QR
code drawn here, and the key as text), confirm a code in this session, new backup codes, and
turning it off (readers; staff too while settings.STAFF_2FA is off).

Every page is for a signed-in user; every change is a POST with its CSRF token; a wrong code is
sent back with 400. Pages that change an existing second factor need a session that has been
confirmed with a code, so that a session from before two-factor was turned on cannot undo it.
"""

from time import time

import django_otp
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts import otp
from accounts.forms import _AccountFormLayout
from careerguide.redirects import safe_next

SETUP_KEY_SESSION = "two_factor_setup_key"
BREADCRUMB = ("Two-factor sign-in", reverse_lazy("two_factor"))
SETUP_WRONG = (
    "That code is not right. Check that the app shows CareerGuide and your username, and enter "
    "the 6 digits it shows now."
)


# --- Forms ---


class CodeForm(_AccountFormLayout, forms.Form):
    """One code, checked against the user's devices (the app's, or a backup code)."""

    submit_label = "Confirm"
    otp_token = otp.code_field()

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_otp_token(self):
        self.device = otp.check_code(self.user, self.cleaned_data["otp_token"])
        return self.cleaned_data["otp_token"]


class SetupForm(_AccountFormLayout, forms.Form):
    """The first code from a newly added app, which proves it holds the key."""

    submit_label = "Turn on two-factor sign-in"
    otp_token = otp.code_field(help_text="The 6-digit code your authenticator app now shows.")

    def __init__(self, device, *args, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_otp_token(self):
        code = otp.normalise(self.cleaned_data["otp_token"])
        totp = TOTP(self.device.bin_key, self.device.step, self.device.t0, self.device.digits)
        totp.time = time()
        if not (code.isascii() and code.isdigit() and len(code) == self.device.digits):
            raise ValidationError(SETUP_WRONG, code="invalid_code")
        if not totp.verify(int(code), tolerance=self.device.tolerance):
            raise ValidationError(SETUP_WRONG, code="invalid_code")
        # This code, and any earlier one, may not be used again to sign in.
        self.device.last_t = totp.t()
        self.device.drift = totp.drift
        return code


class NewBackupCodesForm(_AccountFormLayout, forms.Form):
    """A button only: the page says what it does."""

    submit_label = "Generate new backup codes"


# --- Helpers ---


def _context(request, **extra) -> dict:
    return {"breadcrumbs": [BREADCRUMB], **extra}


def _to(url_name: str, next_url: str | None = None):
    url = reverse(url_name)
    return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)


def _needs_confirming(request):
    """None if the user may change their second factor now; otherwise where to send them: to
    set it up when they have none, to confirm a code when this session has not."""
    if not otp.has_two_factor(request.user):
        return _to("two_factor_setup")
    if not otp.is_verified(request.user):
        return _to("two_factor_verify", request.get_full_path())
    return None


def _show_backup_codes(request, codes, *, status=200):
    context = _context(
        request,
        codes=[otp.show_code(code) for code in codes],
        next=safe_next(request, default=""),
    )
    return render(request, "accounts/two_factor_backup_codes_new.html", context, status=status)


# --- Views ---


@require_http_methods(["GET", "HEAD"])
@login_required
def status(request):
    """accounts/two_factor.html gets `enabled`, `required` (staff while STAFF_2FA is on),
    `codes_left` and `breadcrumbs`."""
    user = request.user
    enabled = otp.has_two_factor(user)
    context = _context(
        request,
        enabled=enabled,
        required=otp.staff_must_use_two_factor() and user.is_staff,
        codes_left=otp.backup_codes_left(user) if enabled else 0,
    )
    return render(request, "accounts/two_factor.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def setup(request):
    """Add an authenticator app. The key waits in the session until the app's first code proves
    it was scanned; then it becomes the user's device (replacing any other app), this session
    counts as confirmed, and new backup codes are shown, this once.

    accounts/two_factor_setup.html gets `form` (400 when the code is wrong), `qr_svg`, `secret`,
    `replacing` (the user already has an app), `next` and `breadcrumbs`."""
    user = request.user
    if otp.has_two_factor(user) and not otp.is_verified(user):
        return _to("two_factor_verify", request.get_full_path())
    next_url = safe_next(request, default="")
    key = request.session.get(SETUP_KEY_SESSION)
    expired = request.method == "POST" and not _is_key(key)
    if not _is_key(key):
        key = request.session[SETUP_KEY_SESSION] = random_hex(20)
    device = otp.pending_device(user, key)
    form = SetupForm(device, request.POST if request.method == "POST" and not expired else None)
    if expired:
        messages.error(request, "That set-up had expired. Scan this new code, then try again.")
    elif request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save()
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = otp.new_backup_codes(user)
        del request.session[SETUP_KEY_SESSION]
        django_otp.login(request, device)
        messages.success(request, "Two-factor sign-in is on.")
        return _show_backup_codes(request, codes)
    context = _context(
        request,
        form=form,
        qr_svg=otp.qr_svg(device),
        secret=otp.secret_for_manual_entry(device),
        replacing=otp.has_two_factor(user),
        next=next_url,
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/two_factor_setup.html", context, status=status)


def _is_key(key) -> bool:
    return isinstance(key, str) and len(key) == 40 and all(c in "0123456789abcdef" for c in key)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def verify(request):
    """Confirm this session with a code: where the admin sends a staff user who has an app but
    signed in without giving its code.

    accounts/two_factor_verify.html gets `form` (400 when the code is wrong), `next` and
    `breadcrumbs`."""
    user = request.user
    next_url = safe_next(request, default=reverse("two_factor"))
    if not otp.has_two_factor(user):
        return _to("two_factor_setup", next_url)
    if otp.is_verified(user):
        return redirect(next_url)
    form = CodeForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, form.device)
        return redirect(next_url)
    context = _context(request, form=form, next=next_url)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/two_factor_verify.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def backup_codes(request):
    """How many backup codes are left; a POST replaces them all with new ones, shown this once.

    accounts/two_factor_backup_codes.html gets `form`, `codes_left` and `breadcrumbs`; after the
    POST, accounts/two_factor_backup_codes_new.html gets the new `codes`."""
    elsewhere = _needs_confirming(request)
    if elsewhere is not None:
        return elsewhere
    if request.method == "POST":
        return _show_backup_codes(request, otp.new_backup_codes(request.user))
    context = _context(
        request, form=NewBackupCodesForm(), codes_left=otp.backup_codes_left(request.user)
    )
    return render(request, "accounts/two_factor_backup_codes.html", context)


class DisableForm(CodeForm):
    submit_label = "Turn off two-factor sign-in"


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def disable(request):
    """Turn two-factor off, with a current code to confirm. Refused (403) to staff while
    STAFF_2FA is on: the admin requires it of them.

    accounts/two_factor_disable.html gets `form` (400 when the code is wrong), `allowed` and
    `breadcrumbs`."""
    elsewhere = _needs_confirming(request)
    if elsewhere is not None:
        return elsewhere
    user = request.user
    if otp.staff_must_use_two_factor() and user.is_staff:
        context = _context(request, form=None, allowed=False)
        return render(request, "accounts/two_factor_disable.html", context, status=403)
    form = DisableForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        messages.success(request, "Two-factor sign-in is off. Signing in needs only your password.")
        return redirect("two_factor")
    context = _context(request, form=form, allowed=True)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/two_factor_disable.html", context, status=status)
