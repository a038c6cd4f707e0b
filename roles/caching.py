"""Caching keyed on content: one content version for the whole site, and the anonymous page
cache built on it.

One content version for the whole site is bumped whenever content changes.

Anything that caches content (a page, a fragment, a computed table) puts `content_version()` in
its cache key, so an editor's save, delete, import or revert makes every old entry unreachable at
once: nothing has to know which keys a change affects. The counter lives in Django's cache, so
every process sharing that cache (Redis in production) sees the same version.

If the cache is down when content changes, the change is kept (it is already committed) and the
editor is not shown an error; the bump is owed, and this process pays it on its next call to
`content_version()` that finds the cache back, before serving anything from it.

Anonymous readers get whole pages from the cache, keyed on the URL and the content version, so
nothing needs to know which pages a change affects. Signed-in readers are never served from or
written to this cache: their pages carry their own bookmarks and progress.

The same pages tell shared caches (nginx in front, a CDN) that they may keep them:
`Cache-Control: public, max-age=0, s-maxage=N` with N = settings.SHARED_CACHE_SECONDS, and
`Vary: Cookie` (the page carries the reader's colour scheme, from a cookie). Browsers revalidate
every time (max-age=0) with the ETag; a shared cache may answer for N seconds without asking, and
with N = 0 asks every time, so an edit shows at once. Anything for one visitor (a signed-in
reader, a flash message, a cookie set, a CSRF token used) gets no such header, and
careerguide.middleware.private_when_personal marks it `private, no-store`.
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers, set_response_etag

from careerguide.theme import THEME_COOKIE, Theme

CONTENT_VERSION_KEY = "careerguide:content-version"
logger = logging.getLogger(__name__)
_bump_owed = threading.Event()


def _initial_version() -> int:
    # Milliseconds since the epoch: a counter that was evicted starts above every value it had,
    # so an entry cached under an old version can never come back into use.
    return int(time.time() * 1000)


def content_version() -> int:
    if _bump_owed.is_set():
        bump_content_version()
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        cache.add(CONTENT_VERSION_KEY, _initial_version(), timeout=None)
        version = cache.get(CONTENT_VERSION_KEY)
    return int(version)


def bump_content_version() -> int | None:
    """The new version; None when the cache is down, in which case the bump is owed (above)."""
    try:
        version = _incr_version()
    except Exception:  # each cache backend raises its own client's errors
        if not _bump_owed.is_set():
            logger.error(
                "content changed while the cache was unavailable; the version will move "
                "as soon as the cache answers",
                exc_info=True,
            )
        _bump_owed.set()
        return None
    _bump_owed.clear()
    return version


def _incr_version() -> int:
    try:
        return cache.incr(CONTENT_VERSION_KEY)
    except ValueError:  # missing (never set, evicted or flushed)
        if cache.add(CONTENT_VERSION_KEY, _initial_version(), timeout=None):
            return cache.get(CONTENT_VERSION_KEY)
        return cache.incr(CONTENT_VERSION_KEY)


def content_cache_key(*parts: object) -> str:
    """A cache key that goes stale as soon as any content changes."""
    return ":".join(["careerguide", f"v{content_version()}", *map(str, parts)])


def content_changed(using: str | None = None) -> None:
    """Bump the version once the current transaction commits (at once outside a transaction).

    After the commit, not before: a reader must not cache the old content under the new version
    while the change is still invisible to them. One bump per transaction is enough.
    """
    if content_change_pending(using):
        return
    transaction.on_commit(bump_content_version, using=using)


def content_change_pending(using: str | None = None) -> bool:
    """True inside a transaction that changed content and has not committed yet: the version
    has not moved, so whatever is kept under it may not show this transaction's own change."""
    connection = transaction.get_connection(using)
    return connection.in_atomic_block and any(
        func is bump_content_version for _, func, _ in connection.run_on_commit
    )


def _on_content_saved_or_deleted(sender, using=None, **kwargs):
    content_changed(using)


def connect_content_signals(models) -> None:
    """The cache-invalidation hook: every save or delete of a content model changes the version."""
    for model in models:
        uid = f"content-version-{model._meta.label_lower}"
        post_save.connect(_on_content_saved_or_deleted, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(
            _on_content_saved_or_deleted, sender=model, dispatch_uid=f"{uid}-delete"
        )


# --- The anonymous page cache ---

# Response headers worth keeping with the body; the rest (CSP, cookies, security headers) are
# added afresh by the middleware on every response.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Last-Modified", "X-Robots-Tag", "ETag")


def _shareable_request(request) -> bool:
    """A request whose page is the same for every anonymous reader (with the same colour scheme)."""
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies:
        # No session and no messages cookie: nobody is signed in and no flash message waits
        # (both live in one or the other), and there is no need to load the session to know.
        return True
    return (
        not request.user.is_authenticated
        and not len(messages.get_messages(request))  # a flash message is for this reader only
    )


class _LocalPages:
    """This process's copies of the pages it has read from (or written to) the shared cache, by
    the same key, so that a hit costs one small read of the shared cache (the content version)
    instead of two. A key carries the content version, so a copy is never out of date: an edit
    anywhere moves the version, and every request then asks for a new key. Copies last no longer
    than PAGE_CACHE_SECONDS and take at most MAX_BYTES (least recently used go first)."""

    MAX_BYTES = 16 * 1024 * 1024

    def __init__(self):
        self._pages: OrderedDict[str, tuple[float, tuple, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            item = self._pages.get(key)
            if item is None:
                return None
            if item[0] < time.monotonic():
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return item[1]

    def put(self, key: str, entry: tuple, seconds: int) -> None:
        size = len(entry[2]) + len(key)
        if size > self.MAX_BYTES // 16:
            return
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = (time.monotonic() + seconds, entry, size)
            self._bytes += size
            while self._bytes > self.MAX_BYTES:
                self._drop(next(iter(self._pages)))

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def _drop(self, key: str) -> None:
        self._bytes -= self._pages.pop(key)[2]


_local_pages = _LocalPages()


def _shareable_response(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # The page used a CSRF token or touched the session: it belongs to this visitor.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (hasattr(request, "session") and request.session.modified)
    )


def _mark_shared(response) -> None:
    """What a shared cache may do with this page (module docstring). Set on every answer, hit or
    miss, so a change of the setting applies to pages already in the page cache."""
    seconds = settings.SHARED_CACHE_SECONDS
    response["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
    patch_vary_headers(response, ("Cookie",))


def _key(request) -> str:
    # The host is part of the page: canonical links and the sitemap carry absolute URLs.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    # The page carries the reader's colour scheme (data-bs-theme), so each scheme has its copy.
    theme = request.COOKIES.get(THEME_COOKIE, "")
    theme = theme if theme in (Theme.LIGHT, Theme.DARK) else Theme.AUTO
    return content_cache_key("page", theme, digest)


def _only_params(request, params: tuple[str, ...]) -> None:
    """Drop the query parameters the page does not read (?utm_source=... and other junk), and put
    the rest in one order, so that every such URL shares one entry and the page rendered for it
    (whose sign-in and theme links carry the path) is the same for all of them."""
    query = QueryDict(mutable=True)
    for name in params:
        if name in request.GET:
            query.setlist(name, request.GET.getlist(name))
    cleaned = query.urlencode()
    if cleaned != request.META.get("QUERY_STRING", ""):
        request.GET = QueryDict(cleaned)
        request.META["QUERY_STRING"] = cleaned


def _rendered(response):
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    return response


def _uncached(request, view, args, kwargs):
    """The page from the view itself (page cache off or down), still marked for shared caches."""
    response = _rendered(view(request, *args, **kwargs))
    if _shareable_response(request, response):
        _mark_shared(response)
    return response


def _look_up(request, params: tuple[str, ...]):
    """(key, the kept entry or None, whether the cache failed) for a shareable request."""
    _only_params(request, params)
    key = None
    try:
        key = _key(request)
        cached = _local_pages.get(key)
        if cached is None:
            cached = cache.get(key)
            if cached is not None:
                _local_pages.put(key, cached, settings.PAGE_CACHE_SECONDS)
    except Exception:  # a cache that is down (Redis gone) must not take the pages with it
        logger.warning("page cache unavailable; serving %s uncached", request.path, exc_info=True)
        return key, None, True
    return key, cached, False


def _hit(cached) -> HttpResponse:
    status, headers, content = cached
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    response["X-Page-Cache"] = "hit"
    _mark_shared(response)
    return response


def anonymous_page_cache(view=None, *, params: tuple[str, ...] = ()):
    """Serve `view` to anonymous readers from the page cache. `params` names the query parameters
    the page reads; any other is ignored for the cached page, so junk cannot fill the cache."""
    if view is None:
        return lambda view: anonymous_page_cache(view, params=params)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _shareable_request(request):
            return view(request, *args, **kwargs)
        if settings.PAGE_CACHE_SECONDS <= 0:
            return _uncached(request, view, args, kwargs)
        # serve_cached_pages may have looked already (and found nothing).
        looked = getattr(request, "_page_cache_lookup", None) or _look_up(request, params)
        key, cached, failed = looked
        if failed:
            request.cache_unavailable = True  # nothing else tries it again (roles/readership.py)
            return _uncached(request, view, args, kwargs)
        if cached is not None:
            return _hit(cached)
        response = _rendered(view(request, *args, **kwargs))
        if _shareable_response(request, response):
            set_response_etag(response)  # once, here, instead of hashing the page on every hit
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            entry = (200, headers, response.content)
            try:
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
                _local_pages.put(key, entry, settings.PAGE_CACHE_SECONDS)
            except Exception:  # noqa: BLE001 - as above: the page is served, just not kept
                logger.warning("page cache unavailable; not storing %s", request.path)
            else:
                response["X-Page-Cache"] = "miss"
            _mark_shared(response)
        return response

    wrapped.page_cache_params = params  # how serve_cached_pages knows the page and its params
    return wrapped


def serve_cached_pages(get_response):
    """Middleware: answer a reader who brings no session and no messages cookie from the page
    cache before the session, CSRF, authentication, messages and lockout layers run, as Django's
    FetchFromCacheMiddleware does. None of them has anything to do for such a reader's cached
    page, and skipping them makes a hit cheaper than /healthz's trip through them. It sits below
    the middleware that add the security headers, the CSP and conditional GET, so a hit gets
    those as before. Anything else (a miss, a reader with a cookie, a page that is not cached)
    goes on down as usual; a miss hands its lookup to the view's wrapper, so the cache is asked
    once."""
    from roles.readership import note_read  # roles.readership imports roles.models

    def middleware(request):
        if (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
        ):
            try:
                request.get_host()  # a host we do not serve: CommonMiddleware answers 400
                match = resolve(request.path_info)
            except (DisallowedHost, Resolver404):
                return get_response(request)
            params = getattr(match.func, "page_cache_params", None)
            if params is not None:
                looked = _look_up(request, params)
                if looked[1] is not None:
                    request.resolver_match = match
                    response = _hit(looked[1])
                    # CommonMiddleware, below, is skipped: without a length gunicorn would
                    # send the page in chunks.
                    response.headers["Content-Length"] = str(len(response.content))
                    note_read(request, response)
                    return response
                request._page_cache_lookup = looked
        return get_response(request)

    return middleware
