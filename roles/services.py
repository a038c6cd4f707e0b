"""Writes that touch several rows or race with each other: the reader's bookmarks and progress,
and content import and export (the starter loader uses them too)."""

from typing import Any

from django.db import IntegrityError, transaction

from roles.content_io import (
    STARTER_CONTENT_DIR,
    ContentError,
    ImportReport,
    content_read_directory,
    content_read_file,
    document_dumps,
    export_document,
    import_document,
)
from roles.models import Bookmark, Guide, GuideStep, StepProgress

__all__ = [
    "STARTER_CONTENT_DIR",
    "ContentError",
    "ImportReport",
    "bookmark_toggle",
    "content_export",
    "content_import",
    "content_read_directory",
    "content_read_file",
    "step_progress_toggle",
]


# --- The reader's own state ---


def bookmark_toggle(*, user, guide: Guide, bookmarked: bool | None = None) -> bool:
    """Bookmark or un-bookmark a guide; return whether it is bookmarked now.

    With `bookmarked` given the call is idempotent (a double-submitted form changes nothing more);
    without it the state flips. Simultaneous requests are safe: the unique constraint decides, and
    a lost race to create is the same outcome as winning it.
    """
    if bookmarked is None:
        bookmarked = not Bookmark.objects.filter(user=user, guide=guide).exists()
    if bookmarked:
        try:
            with transaction.atomic():
                Bookmark.objects.get_or_create(user=user, guide=guide)
        except IntegrityError:
            pass  # another request created it first
    else:
        Bookmark.objects.filter(user=user, guide=guide).delete()
    return bookmarked


def step_progress_toggle(*, user, step: GuideStep, completed: bool | None = None) -> bool:
    """Tick or untick one step for one reader; return whether it is completed now.

    Same contract as bookmark_toggle: explicit states are idempotent, races end in one row.
    """
    if completed is None:
        completed = not StepProgress.objects.filter(user=user, step=step, completed=True).exists()
    try:
        with transaction.atomic():
            StepProgress.objects.update_or_create(
                user=user, step=step, defaults={"completed": completed}
            )
    except IntegrityError:
        StepProgress.objects.filter(user=user, step=step).update(completed=completed)
    return completed


# --- Content import and export ---


def content_import(
    *, data: dict[str, Any], dry_run: bool = False, update: bool = False, comment: str = ""
) -> ImportReport:
    """Import a content document atomically; see roles.content_io.import_document.

    Without `update` only what the database lacks is added (the starter loader: an editor's
    change is never overwritten). With it, every record the document names is created or brought
    up to the document's values, matched by slug, so importing the same file twice is a no-op.
    """
    return import_document(data=data, dry_run=dry_run, update=update, comment=comment)


def content_export() -> str:
    """All content as one JSON document, in the shape content_import reads."""
    return document_dumps(export_document())
