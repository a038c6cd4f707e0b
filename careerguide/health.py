"""Probes for the proxy or orchestrator in front of the instances: plain text, never cached."""

import logging
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@require_safe
@never_cache
def healthz(request):
    """Liveness only: no database, no template, so it answers even when those are down."""
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
@never_cache
def readyz(request):
    """Readiness: 200 only when this instance can reach both the database and the shared cache,
    so that the proxy sends readers only to instances that can serve them."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("readyz: the database does not answer: %s", error)
        return _not_ready("database unavailable")

    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        answered = cache.get(key) == "ok"
        cache.delete(key)
    except Exception as error:  # noqa: BLE001 - each cache backend raises its own client's errors
        logger.warning("readyz: the cache does not answer: %s", error)
        answered = False
    if not answered:
        return _not_ready("cache unavailable")
    return HttpResponse("ok\n", content_type="text/plain")


def _not_ready(reason: str) -> HttpResponse:
    return HttpResponse(f"{reason}\n", content_type="text/plain", status=503)
