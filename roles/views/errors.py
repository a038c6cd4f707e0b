"""Pages for requests the site refuses on purpose: a failed CSRF check and a sign-in lockout.
The 400, 403, 404 and 500 pages are Django's handlers rendering templates/<code>.html."""

from django.conf import settings
from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a friendly 403 in the site's layout. The reason goes to the log (Django
    logs it as django.security.csrf), never to the page."""
    return render(request, "403_csrf.html", status=403)


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the page for a sign-in that django-axes refused, on the site's login
    and the admin's. 429 with Retry-After, so that clients and proxies know when to come back."""
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
