"""Writes that race with each other: the reader's bookmarks and step progress. Content import and
export live in roles/content_io.py."""

from django.db import IntegrityError, transaction

from roles.models import Bookmark, Guide, GuideStep, StepProgress


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
