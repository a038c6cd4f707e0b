"""Privacy-friendly read counts for the pages editors might curate next.

Each GET that answers 200 for a counted page (a comparison, a guide or generated plan) adds one to
a counter for (day, URL name, path) in the shared cache (Redis in production; with the file or
local-memory cache in development the count is best effort). Nothing about the reader is kept: no
address, no cookie, no user, no referrer, and staff previews are not counted. Counting happens in
middleware after the response is made, with cache operations only, so a page served from the page
cache still costs no database query. `manage.py flush_reads` adds the counts to PageReads, a
row per page per day, and takes what it added off the counters, so reads that arrive meanwhile
are kept for the next flush.

A page gets its counter the first time it is read in a day, and a numbered slot (from an
atomic counter) that names it, so the flush can find every counter without listing cache keys.
"""

import datetime
import hashlib
import logging
import threading
import time
from collections import Counter

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from roles.models import PageReads

# The pages counted, by URL name: comparisons and /transitions/<from>-to-<to>/ (a curated guide
# or a generated plan). Another page is counted by adding its URL name here.
COUNTED = frozenset({"roles:comparison_detail", "roles:guide_detail"})
PREFIX = "careerguide:reads"
KEEP_SECONDS = 3 * 24 * 60 * 60  # counters not flushed within three days are dropped
MAX_PATH = 500
logger = logging.getLogger(__name__)


def _day_key(day: datetime.date, *parts: object) -> str:
    return ":".join([PREFIX, day.isoformat(), *map(str, parts)])


def _counter_key(day: datetime.date, url_name: str, path: str) -> str:
    digest = hashlib.sha256(f"{url_name}\n{path}".encode("utf-8", "surrogateescape")).hexdigest()
    return _day_key(day, "count", digest[:32])


def _incr(key: str) -> int:
    """cache.incr, creating the key at 1 if it is missing (once, however many race)."""
    try:
        return cache.incr(key)
    except ValueError:
        if cache.add(key, 1, timeout=KEEP_SECONDS):
            return 1
        return cache.incr(key)


_paused_until = 0.0  # after a cache failure, this process stops counting for a while
PAUSE_SECONDS = 30.0
# Reads wait in the process (count_read) and go to the cache together (push_reads).
PUSH_SECONDS = 5.0
PUSH_PAGES = 200  # or as soon as this many pages have reads waiting
_pending: Counter = Counter()
_pending_lock = threading.Lock()
_last_push = time.monotonic()


def count_read(url_name: str, path: str, *, day: datetime.date | None = None) -> None:
    """Count one read. The count waits in this process and goes to the shared cache with the
    others at most every PUSH_SECONDS (push_reads), so a page served from the page cache pays
    for a dictionary update, not a cache round trip; a process that stops loses at most that
    long's reads, which aggregate counts can spare."""
    if len(path) > MAX_PATH or time.monotonic() < _paused_until:
        return
    day = day or timezone.now().date()
    with _pending_lock:
        _pending[(day, url_name, path)] += 1
        due = time.monotonic() - _last_push >= PUSH_SECONDS or len(_pending) >= PUSH_PAGES
    if due:
        push_reads()


def push_reads() -> None:
    """Add this process's waiting counts to the shared cache. With the cache down they are
    dropped and counting pauses for PAUSE_SECONDS (a hung Redis would otherwise cost every
    counted page one more socket timeout)."""
    global _paused_until, _last_push
    with _pending_lock:
        pending = dict(_pending)
        _pending.clear()
        _last_push = time.monotonic()
    try:
        for (day, url_name, path), reads in pending.items():
            key = _counter_key(day, url_name, path)
            try:
                cache.incr(key, reads)
            except ValueError:
                if cache.add(key, reads, timeout=KEEP_SECONDS):  # the page's first read today
                    slot = _incr(_day_key(day, "slots"))
                    cache.set(_day_key(day, "slot", slot), (url_name, path), timeout=KEEP_SECONDS)
                else:
                    cache.incr(key, reads)
    except Exception:  # a cache that is down must not take the page with it
        _paused_until = time.monotonic() + PAUSE_SECONDS
        logger.warning("read count unavailable (cache down)", exc_info=True)


def note_read(request, response) -> None:
    """Count the read if the page is a COUNTED one, read by GET, answered 200, not by staff."""
    match = getattr(request, "resolver_match", None)
    if (
        match is not None
        and match.view_name in COUNTED
        and request.method == "GET"
        and response.status_code == 200
        and not getattr(getattr(request, "user", None), "is_staff", False)
        and not getattr(request, "cache_unavailable", False)  # the page cache just failed
    ):
        count_read(match.view_name, request.path)


def count_reads(get_response):
    """Middleware: count a read of a COUNTED page once its response is a 200. (A page that
    roles.caching.serve_cached_pages answers from the cache never gets here and is counted
    there.)"""

    def middleware(request):
        response = get_response(request)
        note_read(request, response)
        return response

    return middleware


def flush_reads(*, today: datetime.date | None = None, days: int = 3) -> int:
    """Add the cache's counts for the last `days` days to PageReads; the number of reads added."""
    push_reads()  # this process's waiting reads first
    today = today or timezone.now().date()
    added = 0
    for back in range(days):
        day = today - datetime.timedelta(days=back)
        slots = cache.get(_day_key(day, "slots")) or 0
        if not slots:
            continue
        pages = cache.get_many([_day_key(day, "slot", n) for n in range(1, slots + 1)])
        keys = {_counter_key(day, *page): tuple(page) for page in pages.values()}
        counts = cache.get_many(list(keys))
        for key, count in counts.items():
            if not count:
                continue
            url_name, path = keys[key]
            with transaction.atomic():
                row, _ = PageReads.objects.get_or_create(day=day, url_name=url_name, path=path)
                PageReads.objects.filter(pk=row.pk).update(reads=F("reads") + count)
            cache.decr(key, count)
            added += count
    return added
