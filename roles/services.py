"""Writes that race with each other: the reader's bookmarks and step progress. Content import and
export live in roles/content_io.py."""

from django.db import IntegrityError, transaction

from roles.models import Bookmark, BookmarkKind, Guide, GuideStep, Role, StepProgress


def _bookmark_target(guide, plan, comparison) -> dict:
    if guide is not None:
        return {"kind": BookmarkKind.GUIDE, "guide": guide}
    if plan is not None:
        from_role, to_role = plan
        return {"kind": BookmarkKind.PLAN, "from_role": from_role, "to_role": to_role}
    if comparison:
        return {"kind": BookmarkKind.COMPARISON, "comparison": comparison}
    raise ValueError("A bookmark keeps a guide, a plan or a comparison.")


def bookmark_toggle(
    *,
    user,
    guide: Guide | None = None,
    plan: tuple[Role, Role] | None = None,
    comparison: str = "",
    bookmarked: bool | None = None,
) -> bool:
    """Bookmark or un-bookmark a guide, a generated plan (from_role, to_role) or a comparison
    (its canonical slug); return whether it is bookmarked now.

    With `bookmarked` given the call is idempotent (a double-submitted form changes nothing more);
    without it the state flips. Simultaneous requests are safe: the unique constraint decides, and
    a lost race to create is the same outcome as winning it.
    """
    target = _bookmark_target(guide, plan, comparison)
    if bookmarked is None:
        bookmarked = not Bookmark.objects.filter(user=user, **target).exists()
    if bookmarked:
        try:
            with transaction.atomic():
                Bookmark.objects.get_or_create(user=user, **target)
        except IntegrityError:
            pass  # another request created it first
    else:
        Bookmark.objects.filter(user=user, **target).delete()
    return bookmarked


def step_progress_toggle(
    *,
    user,
    step: GuideStep | None = None,
    plan: tuple[Role, Role] | None = None,
    skill_key: str = "",
    completed: bool | None = None,
) -> bool:
    """Tick or untick one step for one reader: a guide's step, or a generated plan's skill
    (`plan` and `skill_key`); return whether it is completed now.

    Same contract as bookmark_toggle: explicit states are idempotent, races end in one row.
    """
    if step is not None:
        target = {"step": step}
    elif plan is not None and skill_key:
        target = {"from_role": plan[0], "to_role": plan[1], "skill_key": skill_key}
    else:
        raise ValueError("Progress is on a guide's step or on a plan's skill.")
    if completed is None:
        completed = not StepProgress.objects.filter(user=user, completed=True, **target).exists()
    try:
        with transaction.atomic():
            StepProgress.objects.update_or_create(
                user=user, **target, defaults={"completed": completed}
            )
    except IntegrityError:
        StepProgress.objects.filter(user=user, **target).update(completed=completed)
    return completed
