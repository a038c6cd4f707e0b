from django.core.exceptions import DisallowedHost

from roles.forms import SearchForm


def site(request):
    """What base.html needs on every page: the canonical URL and the header search box."""
    try:
        canonical_url = request.build_absolute_uri(request.path)
    except DisallowedHost:  # the 400 page for a bad Host header renders with this request too
        canonical_url = request.path
    return {
        "canonical_url": canonical_url,
        "header_search_form": SearchForm(header=True, auto_id="header-search-%s"),
    }
