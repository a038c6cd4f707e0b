from functools import cache

from crispy_forms.utils import render_crispy_form
from django.core.exceptions import DisallowedHost
from django.utils.safestring import SafeString

from careerguide.theme import THEME_COOKIE, Theme
from roles.forms import SearchForm


@cache
def header_search() -> SafeString:
    """The header's search box, the same on every page (unbound, no CSRF token): rendered once
    per process instead of on every page, where crispy-forms took about 0.7 ms of each."""
    return render_crispy_form(SearchForm(header=True, auto_id="header-search-%s"))


def site(request):
    """What base.html needs on every page: the canonical URL, the header search box and the
    reader's colour scheme (an unknown cookie value counts as "auto")."""
    try:
        canonical_url = request.build_absolute_uri(request.path)
    except DisallowedHost:  # the 400 page for a bad Host header renders with this request too
        canonical_url = request.path
    theme = request.COOKIES.get(THEME_COOKIE, "")
    return {
        "canonical_url": canonical_url,
        "header_search": header_search(),
        "theme": theme if theme in (Theme.LIGHT, Theme.DARK) else Theme.AUTO,
        "theme_choices": Theme.choices,
    }
