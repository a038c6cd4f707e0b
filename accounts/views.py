"""Reader accounts: sign-up and the lockout page here; sign-in, sign-out and passwords are
django.contrib.auth's views, wired in accounts/urls.py with our crispy forms and templates."""

import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods, require_safe

from accounts import services
from accounts.forms import DeleteAccountForm, SignupForm
from careerguide.redirects import safe_next

logger = logging.getLogger(__name__)


class InvalidFormIs400:
    """A form sent back with errors answers 400, like every other bad input on the site."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


def _crumb(name: str, url_name: str) -> dict:
    return {"breadcrumbs": [(name, reverse_lazy(url_name))]}


class LoginView(InvalidFormIs400, auth_views.LoginView):
    template_name = "accounts/login.html"
    extra_context = _crumb("Sign in", "login")

    def get_default_redirect_url(self):
        return reverse("roles:home")


class PasswordChangeView(InvalidFormIs400, auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    extra_context = _crumb("Change your password", "password_change")


class PasswordResetView(InvalidFormIs400, auth_views.PasswordResetView):
    """The same answer, as fast, whether or not an account has the address: the mail goes once
    the response has been sent, and past PASSWORD_RESET_LIMIT requests an hour for one address
    none goes at all (so nobody can flood someone's inbox from here)."""

    template_name = "accounts/password_reset_form.html"
    extra_context = _crumb("Reset your password", "password_reset")

    def form_valid(self, form):
        if not services.password_reset_allowed(form.cleaned_data["email"]):
            logger.warning("Password reset: too many requests for one address; none sent")
            return redirect(self.get_success_url())
        response = super().form_valid(form)
        # Django calls a response's closers once the server has sent it (HttpResponse.close).
        response._resource_closers.append(form.send_kept_mail)
        return response


class PasswordResetConfirmView(InvalidFormIs400, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    extra_context = _crumb("Choose a new password", "password_reset")


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    """accounts/signup.html gets the `form` (400 when sent back with errors), `next` (where a new
    reader goes once signed in, on this site only) and `breadcrumbs`."""
    next_url = safe_next(request, default=reverse("roles:home"))
    if request.user.is_authenticated:
        return redirect(next_url)
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}. Your account is ready.")
        return redirect(next_url)
    context = {"form": form, "next": next_url, **_crumb("Create an account", "signup")}
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", context, status=status)


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the page for a sign-in that django-axes refused, on the site's login
    and the admin's. 429 with Retry-After, so that clients and proxies know when to come back.
    accounts/locked_out.html gets `cooloff_minutes` and `failure_limit`."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = max(1, round(cooloff.total_seconds() / 60))
    response = render(
        request,
        "accounts/locked_out.html",
        {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(int(cooloff.total_seconds()))
    return response


# --- The reader's own account ---


@login_required
@require_safe
def account(request):
    """The reader's account page. accounts/account.html gets `bookmark_count`, `progress_count`
    (ticked steps) and `breadcrumbs`; it links to the password, data and deletion pages."""
    context = {
        "bookmark_count": request.user.bookmarks.count(),
        "progress_count": request.user.step_progress.filter(completed=True).count(),
        **_crumb("Your account", "account"),
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_safe
def account_data(request):
    """Download my data: a JSON file of the reader's account, bookmarks and progress."""
    data = services.account_data(user=request.user, absolute=request.build_absolute_uri)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False) + "\n",
        content_type="application/json; charset=utf-8",
    )
    filename = f"careerguide-{request.user.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request):
    """Delete my account, after the password. accounts/account_delete.html gets the `form`
    (400 when sent back with errors), `is_staff` (staff accounts are removed by an
    administrator, not here: they hold the site's editing rights) and `breadcrumbs`."""
    user = request.user
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=user)
    context = {"form": form, "is_staff": user.is_staff, **_crumb("Delete your account", "account")}
    if request.method != "POST":
        return render(request, "accounts/account_delete.html", context)
    if user.is_staff:
        return render(request, "accounts/account_delete.html", context, status=403)
    if not form.is_valid():
        return render(request, "accounts/account_delete.html", context, status=400)
    logout(request)
    services.account_delete(user=user)
    return redirect("account_deleted")


@require_safe
def account_deleted(request):
    """The confirmation once an account is gone; accounts/account_deleted.html needs nothing."""
    return render(request, "accounts/account_deleted.html")
