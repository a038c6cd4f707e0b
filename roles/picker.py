"""The roles the pickers offer, kept in memory between requests for the public.

Every page with a compare picker (home, a role profile, the compare and guide pages) offers
every visible role. At the full O*NET size that is about a thousand Role objects, and building
them took about 28 ms of each such page, more than the rest of a role profile together. The
public's list is the same for every reader until content changes, so each process keeps the last
one it built, keyed on the site's content version (roles/caching.py), which every content save,
delete, bulk write and import moves. Editors, who see drafts, get a fresh list every time, as
does a transaction that has changed content and not yet committed (the version moves on commit).

The list is shared by every request of the process (and its threads): callers read the roles
and never change them. They get a copy of the list itself, so sorting or slicing it is safe;
the copy carries `shared`, where a picker's RoleIndex (roles/forms.py) keeps its lookups and
datalist, built once for the kept list instead of on every page.
"""

from django.db.models import F

from roles.caching import content_change_pending, content_version
from roles.models import Role, is_previewer
from roles.models.pay import with_pay_order


class KeptRoles(list):
    """A copy of the kept list, with the lookups the pickers build of it (`shared`)."""

    shared: dict


# (content version, roles, shared): replaced whole, never changed, so threads may read it freely
# (two threads building the same lookup at once each store an equal one).
_public: tuple[int, list[Role], dict] | None = None


def picker_roles(user) -> list[Role]:
    """Every role `user` may see, as `Role.objects.for_picker()` loads them, each with
    `move_zone` and `pay_order`."""
    global _public
    if is_previewer(user):
        return list(_query(Role.objects.all()))
    if content_change_pending():
        return list(_query(Role.objects.published()))
    try:
        version = content_version()
    except Exception:  # noqa: BLE001 - a cache that is down (Redis gone): read the database
        return list(_query(Role.objects.published()))
    cached = _public
    if cached is None or cached[0] != version:
        cached = (version, list(_query(Role.objects.published())), {})
        _public = cached
    kept = KeptRoles(cached[1])
    kept.shared = cached[2]
    return kept


def _query(roles):
    """`for_picker()`, with what a move to each role needs that does not depend on where the
    move starts (roles/moves.py): its Job Zone number and the median its page shows."""
    return with_pay_order(roles.for_picker()).annotate(move_zone=F("job_zone__number"))


def forget() -> None:
    """Drop the kept list (tests start each one clean, as they do the cache)."""
    global _public
    _public = None
