from roles.forms import SearchForm


def site(request):
    """What base.html needs on every page: the canonical URL and the header search box."""
    return {
        "canonical_url": request.build_absolute_uri(request.path),
        "header_search_form": SearchForm(header=True, auto_id="header-search-%s"),
    }
