from django.core.exceptions import DisallowedHost

from careerguide.theme import THEME_COOKIE, Theme
from roles.forms import SearchForm


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
        "header_search_form": SearchForm(header=True, auto_id="header-search-%s"),
        "theme": theme if theme in (Theme.LIGHT, Theme.DARK) else Theme.AUTO,
        "theme_choices": Theme.choices,
    }
