"""Pages for requests the site refuses: a failed CSRF check, and a 404 that suggests the nearest
roles. The 400, 403 and 500 pages are Django's handlers rendering templates/<code>.html; the
sign-in lockout page is the accounts app's."""

from django.shortcuts import render

from roles.views.discovery import suggestions_for


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a friendly 403 in the site's layout. The reason goes to the log (Django
    logs it as django.security.csrf), never to the page."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    """handler404: the site's 404. 404.html gets `suggestions`, (title, url) of the roles nearest
    to the URL asked for (none when the URL names no role)."""
    try:
        suggestions = suggestions_for(request.path)
    except Exception:  # noqa: BLE001 - a 404 page must never become a 500
        suggestions = []
    return render(request, "404.html", {"suggestions": suggestions}, status=404)
