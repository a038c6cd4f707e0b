"""Request and response plumbing that Django has no setting for."""

import re
import time

from django.conf import settings
from django.core.exceptions import BadRequest


def permissions_policy(get_response):
    """Send settings.PERMISSIONS_POLICY on every response, static files included: the site uses
    no camera, microphone, location and the like, so no page (or anything framed) may ask."""

    def middleware(request):
        response = get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


_SHARED_LIFETIME = re.compile(r"(?:^|,)\s*s-maxage=(\d+)\s*(?:,|$)")


def nginx_cache_expiry(get_response):
    """Give nginx the shared lifetime of a `public, ..., s-maxage=N` answer as the end of a second:
    `X-Accel-Expires: @T`, T = now + N - 1 in whole seconds since the epoch.

    nginx keeps time in whole seconds and counts an entry fresh through the whole second its
    lifetime ends in, so from `s-maxage=1` alone it would serve a page for up to two seconds. With
    the end given as the last whole second, a page is kept at most N seconds and an edit shows
    through nginx within them. nginx reads X-Accel-Expires before Cache-Control and never passes
    it on; other caches read `s-maxage`. It sits above ConditionalGetMiddleware so that a 304
    (nginx revalidating with the ETag) carries it too."""

    def middleware(request):
        response = get_response(request)
        control = response.get("Cache-Control", "")
        lifetime = _SHARED_LIFETIME.search(control)
        if (
            lifetime
            and int(lifetime[1]) > 0
            and "public" in control
            and "private" not in control
            and "no-store" not in control
        ):
            response.headers["X-Accel-Expires"] = f"@{int(time.time()) + int(lifetime[1]) - 1}"
        return response

    return middleware


def client_ip(request) -> str | None:
    """The reader's address for login throttling (django-axes).

    Behind settings.PROXY_COUNT proxies that each append to X-Forwarded-For, the client is the
    PROXY_COUNT-th address from the right; anything further left was written by the client and
    could be forged. With no proxy (0), or a header shorter than expected, it is REMOTE_ADDR.
    """
    count = settings.PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def reject_nul_bytes(get_response):
    """Answer 400 to a NUL byte in the path or the query string, before any view sees it.

    No page of ours takes one, and PostgreSQL refuses NUL in text, so a view or a library (the
    admin's search, the history views) that passed it to a lookup would fail with a 500.
    """

    def middleware(request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL byte in the request")
        return get_response(request)

    return middleware


def private_when_personal(get_response):
    """`Cache-Control: private, no-store` on every response for a signed-in reader, and on any
    response that carries one visitor's state: a cookie it sets (a CSRF token's among them), or a
    session with something in it.
    No proxy or shared cache may keep such a page. (Every page reads the session for flash
    messages, so Vary: Cookie alone would mark anonymous pages private too.) It sits above the
    session and CSRF middleware, so it sees the cookies they set."""

    def middleware(request):
        response = get_response(request)
        if _is_personal(request, response):
            response.headers["Cache-Control"] = "private, no-store"
        return response

    return middleware


def _is_personal(request, response) -> bool:
    if response.cookies:  # the CSRF cookie (sent again whenever the token is used), or another
        return True
    session = getattr(request, "session", None)
    if session is not None and session.accessed and not session.is_empty():
        return True
    # Signed in means a session that came with the request (signing in now sets its cookie,
    # above): without the cookie there is no need to load the user to know.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated
