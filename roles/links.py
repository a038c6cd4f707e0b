"""The link checker behind `manage.py check_links`: every reference's address, HEAD then GET.

It runs from the command line (cron), never inside a web request: a slow site would hold a
worker for as long as its timeout. Requests go out a few at a time (`workers`), and one at a time
to any one host, so a site cited by many references is not hammered. Redirects are followed (up
to urllib's limit of ten) and the address they end at is recorded.
"""

import ssl
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils import timezone

from roles.models import Reference

USER_AGENT = "CareerGuide link checker (checks the references our editors cite)"
DEFAULT_TIMEOUT = 10.0
DEFAULT_WORKERS = 4
# Statuses some servers give HEAD alone: try GET before calling the link broken.
RETRY_WITH_GET = {400, 403, 404, 405, 406, 429, 500, 501, 502, 503}


@dataclass(frozen=True)
class LinkResult:
    ok: bool
    status: int | None = None
    final_url: str = ""  # where redirects ended, when they went somewhere else
    error: str = ""


def check_url(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> LinkResult:
    """HEAD, then GET when HEAD fails: the GET's answer stands."""
    result = _request(url, "HEAD", timeout)
    if result.ok or (result.status is not None and result.status not in RETRY_WITH_GET):
        return result
    if result.error.startswith("timed out"):
        return result  # a server too slow for HEAD is too slow for GET
    return _request(url, "GET", timeout)


def _request(url: str, method: str, timeout: float) -> LinkResult:
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return LinkResult(ok=False, error="not a web address (http or https)")
    headers = {"User-Agent": USER_AGENT}
    request = urllib.request.Request(url, method=method, headers=headers)  # noqa: S310 - checked
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            if method == "GET":
                response.read(1024)  # enough to know the body comes
            status, final = response.status, response.geturl()
    except urllib.error.HTTPError as error:
        final = error.geturl() or url
        return LinkResult(
            ok=False,
            status=error.code,
            final_url=final if final != url else "",
            error=f"HTTP {error.code} {error.reason}"[:300],
        )
    except TimeoutError:
        return LinkResult(ok=False, error=f"timed out after {timeout:g} s")
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            return LinkResult(ok=False, error=f"timed out after {timeout:g} s")
        return LinkResult(ok=False, error=f"could not connect: {reason}"[:300])
    except (OSError, ssl.SSLError, ValueError) as error:  # a reset, a bad certificate, a bad URL
        return LinkResult(ok=False, error=f"{type(error).__name__}: {error}"[:300])
    return LinkResult(
        ok=200 <= status < 400, status=status, final_url=final if final != url else ""
    )


class _PerHost:
    """One request at a time to each host."""

    def __init__(self):
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def lock(self, url: str) -> threading.Lock:
        host = (urlsplit(url).hostname or "").lower()
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())


def check_links(
    references=None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = DEFAULT_WORKERS,
) -> list[tuple[Reference, LinkResult]]:
    """Check each reference's address and store the result and the time on it.

    Stored with update(): no new revision and no content-version bump, since readers' pages do
    not show link results. Each address is checked once, however many references cite it."""
    references = list(Reference.objects.order_by("pk") if references is None else references)
    urls = sorted({reference.url for reference in references})
    per_host = _PerHost()

    def check(url: str) -> tuple[str, LinkResult]:
        with per_host.lock(url):
            return url, check_url(url, timeout=timeout)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = dict(pool.map(check, urls))
    now = timezone.now()
    for reference in references:
        result = results[reference.url]
        Reference.objects.filter(pk=reference.pk).update(
            link_checked_at=now,
            link_ok=result.ok,
            link_status=result.status,
            link_final_url=result.final_url[:2000],
            link_error=result.error,
        )
    return [(reference, results[reference.url]) for reference in references]
