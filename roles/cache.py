"""One content version for the whole site, bumped whenever content changes.

Anything that caches content (a page, a fragment, a computed table) puts `content_version()` in
its cache key, so an editor's save, delete, import or revert makes every old entry unreachable at
once: nothing has to know which keys a change affects. The counter lives in Django's cache, so
every process sharing that cache (Redis in production) sees the same version.

If the cache is down when content changes, the change is kept (it is already committed) and the
editor is not shown an error; the bump is owed, and this process pays it on its next call to
`content_version()` that finds the cache back, before serving anything from it.
"""

import logging
import threading
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

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
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
        func is bump_content_version for _, func, _ in connection.run_on_commit
    ):
        return
    transaction.on_commit(bump_content_version, using=using)


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
