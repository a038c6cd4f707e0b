"""The admin site with a second factor for staff (settings.STAFF_2FA).

accounts.apps.StaffAdminConfig replaces django.contrib.admin in INSTALLED_APPS and makes
StaffAdminSite the default site, so `admin.site` (and every `@admin.register`) is this one. Its
check is django_otp.admin.OTPAdminSite's, made switchable: with STAFF_2FA on, a staff user may use
the admin only in a session confirmed with a code. One without an authenticator app is sent to
set one up, one who has an app but signed in without its code is sent to give one; the admin's
sign-in form asks for the code of anyone who has an app. The form still signs in through
django.contrib.auth's authenticate(), so django-axes counts its failures (wrong codes too) and
locks it out as before.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts import otp
from careerguide.redirects import safe_next


class StaffAuthenticationForm(otp.SecondFactorLoginMixin, AdminAuthenticationForm):
    """The admin's username and password, and the code of anyone who has two-factor."""


class StaffAdminSite(admin.AdminSite):
    site_header = "CareerGuide editors"
    site_title = "CareerGuide editors"
    index_title = "CareerGuide editors' desk"
    site_url = "/"
    login_form = StaffAuthenticationForm
    login_template = "admin/two_factor_login.html"

    def get_urls(self):
        from django.urls import path

        from roles.admin.preview import markdown_preview  # the content's admin, loaded late

        return [
            path("preview/markdown/", markdown_preview, name="markdown_preview"),
            *super().get_urls(),
        ]

    def has_permission(self, request):
        return super().has_permission(request) and not otp.needs_enrolment_for_admin(request.user)

    def login(self, request, extra_context=None):
        """A staff user signed in but not confirmed goes to set up two-factor or to give a code,
        straight after signing in here too; everyone else gets the admin's sign-in."""
        if request.method == "GET" and otp.needs_enrolment_for_admin(request.user):
            return self._second_factor_redirect(request)
        extra_context = {"staff_2fa": otp.staff_must_use_two_factor(), **(extra_context or {})}
        response = super().login(request, extra_context)
        if (
            request.method == "POST"
            and response.status_code == 302
            and otp.needs_enrolment_for_admin(request.user)
        ):
            return self._second_factor_redirect(request)
        return response

    def _second_factor_redirect(self, request):
        url_name = "two_factor_verify" if otp.has_two_factor(request.user) else "two_factor_setup"
        next_url = safe_next(request, default=reverse("admin:index"))
        return redirect(f"{reverse(url_name)}?{urlencode({'next': next_url})}")
