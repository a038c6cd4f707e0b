"""The reader's colour scheme: kept in a cookie and rendered by the server as data-bs-theme."""

from django import forms
from django.db.models import TextChoices
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from careerguide.redirects import safe_next

THEME_COOKIE = "theme"


class Theme(TextChoices):
    """The reader's colour scheme; "auto" follows the system setting."""

    AUTO = "auto", "Auto"
    LIGHT = "light", "Light"
    DARK = "dark", "Dark"


class ThemeForm(forms.Form):
    theme = forms.ChoiceField(choices=Theme.choices)


THEME_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


# A forged request could only change how the site looks to that browser, so the toggle carries no
# CSRF token: every page has it, and a token would give every anonymous page a cookie of its own.
@csrf_exempt
@require_POST
def theme_set(request):
    """Remember the scheme in a cookie (auto forgets it) and go back; a bad value gets 400.html."""
    form = ThemeForm(request.POST)
    if not form.is_valid():
        return render(request, "400.html", status=400)
    response = redirect(safe_next(request, default=reverse("roles:home")))
    theme = form.cleaned_data["theme"]
    if theme == Theme.AUTO:
        response.delete_cookie(THEME_COOKIE, samesite="Lax")
    else:
        response.set_cookie(
            THEME_COOKIE,
            theme,
            max_age=THEME_COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    return response
