"""The Markdown preview beside each Markdown field: the site's own sanitiser, on the server.

A staff-only POST (CSRF protected) that answers the HTML the page would show: roles/markdown.py's
render_markdown, so the preview is what readers get, never a second renderer in the browser. Each
editor may ask PREVIEW_LIMIT times a minute (the script asks at most every 0.4 s while typing);
the count lives in the shared cache, and with the cache down previews are allowed, as saving is.
"""

import logging
import time

from django.contrib import admin
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseForbidden
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from roles.markdown import MAX_MARKDOWN_LENGTH, markdown_problem, render_markdown, validate_markdown

PREVIEW_LIMIT = 120  # per editor per minute
PREVIEW_URL = reverse_lazy("admin:markdown_preview")
logger = logging.getLogger(__name__)


def _within_limit(user) -> bool:
    key = f"careerguide:markdown-preview:{user.pk}:{int(time.time() // 60)}"
    try:
        cache.add(key, 0, timeout=120)
        count = cache.incr(key)
    except Exception:  # each cache backend raises its own client's errors
        logger.warning("preview rate limit unavailable (cache down)", exc_info=True)
        return True
    return count <= PREVIEW_LIMIT


@never_cache
@csrf_protect
@require_POST
def markdown_preview(request):
    if not admin.site.has_permission(request):  # active staff, with their second factor
        return HttpResponseForbidden("Previews are for signed-in editors.")
    if not _within_limit(request.user):
        return HttpResponse("Too many previews in a minute.", status=429, content_type="text/plain")
    text = request.POST.get("text", "")
    if len(text) > 2 * MAX_MARKDOWN_LENGTH:  # the form refuses it anyway; no need to render it
        return HttpResponse(
            f"The text is longer than the {MAX_MARKDOWN_LENGTH:,} characters a field may hold.",
            status=413,
            content_type="text/plain",
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problem = markdown_problem(text) if text else None
    html = render_markdown(text)
    if problem:
        html = format_html('<p class="markdown-preview__problem">{}</p>{}', problem, html)
    return HttpResponse(html, content_type="text/html; charset=utf-8")


class MarkdownPreviewMixin:
    """Marks every Markdown field's textarea for the preview script (admin-extra/editors.js)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and validate_markdown in getattr(db_field, "validators", ()):
            formfield.widget.attrs["data-markdown-preview"] = str(PREVIEW_URL)
        return formfield
