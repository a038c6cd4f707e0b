"""Whole-page cache for anonymous readers, keyed on the URL and the content version.

An editor's change bumps the content version (roles.cache), which makes every cached page
unreachable at once, so nothing here needs to know which pages a change affects. Signed-in readers
are never served from or written to this cache: their pages carry their own bookmarks and progress.
"""

import hashlib
import logging
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import set_response_etag

from roles.cache import content_cache_key
from roles.forms import THEME_COOKIE, Theme

# Response headers worth keeping with the body; the rest (CSP, cookies, security headers) are
# added afresh by the middleware on every response.
logger = logging.getLogger(__name__)

KEPT_HEADERS = ("Content-Type", "Content-Language", "Last-Modified", "X-Robots-Tag", "ETag")


def _cacheable_request(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))  # a flash message is for this reader only
    )


def _key(request) -> str:
    # The host is part of the page: canonical links and the sitemap carry absolute URLs.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    # The page carries the reader's colour scheme (data-bs-theme), so each scheme has its copy.
    theme = request.COOKIES.get(THEME_COOKIE, "")
    theme = theme if theme in (Theme.LIGHT, Theme.DARK) else Theme.AUTO
    return content_cache_key("page", theme, digest)


def anonymous_page_cache(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        try:
            key = _key(request)
            cached = cache.get(key)
        except Exception:  # a cache that is down (Redis gone) must not take the pages with it
            logger.warning(
                "page cache unavailable; serving %s uncached", request.path, exc_info=True
            )
            return view(request, *args, **kwargs)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers.items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            # The page used a CSRF token or touched the session: it belongs to this visitor.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (hasattr(request, "session") and request.session.modified)
        ):
            set_response_etag(response)  # once, here, instead of hashing the page on every hit
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            try:
                cache.set(key, (200, headers, response.content), settings.PAGE_CACHE_SECONDS)
            except Exception:  # as above: the page is served, just not kept
                logger.warning("page cache unavailable; not storing %s", request.path)
            else:
                response["X-Page-Cache"] = "miss"
        return response

    return wrapped
