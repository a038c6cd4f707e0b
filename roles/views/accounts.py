"""Reader accounts: sign-up here; sign-in, sign-out and passwords are django.contrib.auth's views
wired in careerguide/urls.py with our crispy forms and templates."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from roles.forms import SignupForm


def safe_next(request, default: str) -> str:
    """The `next` the request asks for, only if it is a path on this site; otherwise `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    is_own_path = target.startswith("/") and not target.startswith(("//", "/\\"))
    if is_own_path and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


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
    template_name = "accounts/password_reset_form.html"
    extra_context = _crumb("Reset your password", "password_reset")


class PasswordResetConfirmView(InvalidFormIs400, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    extra_context = _crumb("Choose a new password", "password_reset")


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
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
