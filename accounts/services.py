"""What a reader's account holds, and removing it: the data download, the account's deletion and
the purge of sign-in records and sessions past their time; and the pace of password resets."""

import hashlib
from datetime import timedelta
from importlib import import_module
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from roles.models import Bookmark, StepProgress, guide_slug

SIGN_IN_RECORDS = (AccessAttempt, AccessFailureLog, AccessLog)


def _progress_row(row, absolute) -> dict[str, Any]:
    if row.step_id is None:  # a skill on a generated plan
        slug = guide_slug(row.from_role.slug, row.to_role.slug)
        return {
            "plan": f"{row.from_role} to {row.to_role}",
            "url": absolute(reverse("roles:guide_detail", kwargs={"slug": slug})),
            "skill": row.skill_key,
            "completed": row.completed,
            "updated_at": row.updated_at.isoformat(),
        }
    return {
        "guide": str(row.step.guide),
        "url": absolute(row.step.guide.get_absolute_url()),
        "step": row.step.position,
        "title": row.step.title,
        "completed": row.completed,
        "updated_at": row.updated_at.isoformat(),
    }


def account_data(*, user, absolute) -> dict[str, Any]:
    """Everything the site keeps about one reader, as plain data for a JSON download.

    `absolute` turns a path into a full URL (request.build_absolute_uri).
    """
    bookmarks = Bookmark.objects.filter(user=user).select_related(
        "guide__from_role", "guide__to_role", "from_role", "to_role"
    )
    progress = StepProgress.objects.filter(user=user).select_related(
        "step__guide__from_role", "step__guide__to_role", "from_role", "to_role"
    )
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "bookmarks": [
            {
                bookmark.kind: bookmark.title,
                "url": absolute(bookmark.get_absolute_url()),
                "bookmarked_at": bookmark.created_at.isoformat(),
            }
            for bookmark in bookmarks.order_by("created_at", "pk")
        ],
        "progress": [
            _progress_row(row, absolute)
            for row in progress.order_by(
                "step__guide__slug", "step__position", "from_role__slug", "to_role__slug", "pk"
            )
        ],
    }


def account_delete(*, user) -> None:
    """Delete the account and everything tied to it: bookmarks and progress go with the user
    (CASCADE); the sign-in records django-axes keeps under the username are removed too."""
    with transaction.atomic():
        for model in SIGN_IN_RECORDS:
            model.objects.filter(username=user.get_username()).delete()
        user.delete()


def personal_data_purge(*, days: int, dry_run: bool = False) -> dict[str, int]:
    """Remove sign-in records older than `days` and expired sessions; return what was (or, in a
    dry run, would be) removed. Lockouts last minutes, so a retention of days never lifts one."""
    cutoff = timezone.now() - timedelta(days=days)
    counts: dict[str, int] = {}
    with transaction.atomic():
        for model in SIGN_IN_RECORDS:
            old = model.objects.filter(attempt_time__lt=cutoff)
            counts[str(model._meta.verbose_name_plural)] = old.count()
            if not dry_run:
                old.delete()
        from django.contrib.sessions.models import Session

        expired = Session.objects.filter(expire_date__lt=timezone.now())
        counts["expired sessions"] = expired.count()
        if not dry_run:
            # The engine's own clean-up: the database rows, and the cache's copies with cached_db.
            import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return counts


def password_reset_allowed(email: str) -> bool:
    """Count one reset request for this address (whether or not an account has it) and say
    whether it is within PASSWORD_RESET_LIMIT an hour. The count lives in the shared cache; with
    the cache down the request is allowed, as a reader locked out of their account is worse."""
    digest = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    key = f"careerguide:password-reset:{digest}"
    try:
        cache.add(key, 0, timeout=60 * 60)
        count = cache.incr(key)
    except Exception:  # noqa: BLE001 - each cache backend raises its own client's errors
        return True
    return count <= settings.PASSWORD_RESET_LIMIT
