"""Next moves from a role: every other visible role ranked as a move for someone in it.

A move is scored with the comparison's own skill overlap (roles/comparing.py: the weighted
Jaccard index, on O*NET's skills when both roles have O*NET ratings, else on the editors'), the
change in median pay and in preparation (Job Zone), and two flags: O*NET lists the role as
related, an editor wrote a guide for the move.

At full O*NET size a page cannot read every role's ratings (35,000 rows), so each role's skill
profile is precomputed as a small vector (`skill_vectors`) and kept in the cache under the
content version: any save, delete or import makes it stale at once (roles/caching.py), and the
first page after a change builds it again in two queries. Ranking a thousand roles against one
is then arithmetic on those vectors: one query for the candidates, none per role.
"""

import heapq
import logging
from dataclasses import dataclass
from itertools import repeat

from django.core.cache import cache
from django.db.models import DecimalField, Value
from django.db.models.functions import Cast
from django.urls import reverse

from roles.caching import content_cache_key
from roles.comparing import EDITORS, ONET, onet_weight_of, overlap_in_words
from roles.models import (
    ElementKind,
    Guide,
    RelatedRole,
    Role,
    RoleRating,
    RoleSkill,
    comparison_slug,
    guide_slug,
    is_previewer,
)
from roles.picker import picker_roles

TOP_MOVES = 5  # on a role's profile
PAY_ROUNDING = 1000  # "pays about $18,000 more"
CACHE_SECONDS = 24 * 60 * 60  # the content version retires an entry long before this

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SkillVector:
    """One role's skill profile in both vocabularies, as the overlap weighs it: {key: weight}
    with the weights' sums. `has_onet`: the role has O*NET skill ratings at all (the rule that
    picks the vocabulary for a comparison, roles/comparing.py uses_onet_skills)."""

    has_onet: bool
    onet: tuple[int, ...]  # a weight per O*NET skill, the same skills in the same order for all
    onet_total: int
    editors: dict[int, int]
    editors_total: int


EMPTY_VECTOR = SkillVector(False, (), 0, {}, 0)


def build_skill_vectors(*, previewer: bool = False) -> dict[int, SkillVector]:
    """Every role's skill vector from the database, in one query (both vocabularies). The
    editors' vocabulary counts only published skills, unless for staff (the comparison's
    skills_prefetch rule)."""
    ratings = RoleRating.objects.filter(element__kind=ElementKind.SKILL).values_list(
        Value(ONET), "role_id", "element_id", "importance"
    )
    skills = (
        RoleSkill.objects.all() if previewer else RoleSkill.objects.filter(skill__published=True)
    )
    skills = skills.values_list(
        Value(EDITORS),
        "role_id",
        "skill_id",
        Cast("importance", DecimalField(max_digits=3, decimal_places=2)),
    )
    onet: dict[int, dict[int, int]] = {}
    editors: dict[int, dict[int, int]] = {}
    rows = ratings.order_by().union(skills.order_by(), all=True).order_by()
    for vocabulary, role_id, key, importance in rows:
        if vocabulary == ONET:
            weights = onet.setdefault(role_id, {})
            if weight := onet_weight_of(importance):
                weights[key] = weight
        else:
            editors.setdefault(role_id, {})[key] = int(importance)
    # O*NET rates every occupation on the same few dozen skills, so its weights are kept as a
    # tuple in one order (0 for a skill without weight), which vector_overlap reads pairwise.
    onet_keys = sorted({key for weights in onet.values() for key in weights})
    return {
        role_id: SkillVector(
            has_onet=role_id in onet,
            onet=tuple(onet.get(role_id, {}).get(key, 0) for key in onet_keys),
            onet_total=sum(onet.get(role_id, {}).values()),
            editors=editors.get(role_id, {}),
            editors_total=sum(editors.get(role_id, {}).values()),
        )
        for role_id in onet.keys() | editors.keys()
    }


_memo: dict[str, dict[int, SkillVector]] = {}  # this process's copy of the current entry


def skill_vectors(user) -> dict[int, SkillVector]:
    """The vectors for this reader's view of the skills, from this process, the cache, or the
    database, in that order; the key carries the content version, so none is ever stale."""
    audience = "staff" if is_previewer(user) else "public"
    try:
        key = content_cache_key("skill-vectors-2", audience)  # 2: O*NET weights as tuples
        vectors = _memo.get(key) or cache.get(key)
    except Exception:  # noqa: BLE001 - a cache that is down (Redis gone): build them, keep none
        return build_skill_vectors(previewer=audience == "staff")
    if key not in _memo:
        if vectors is None:
            vectors = build_skill_vectors(previewer=audience == "staff")
            try:
                cache.set(key, vectors, CACHE_SECONDS)
            except Exception:  # noqa: BLE001 - as above: used, just not shared
                logger.warning("cache unavailable; skill vectors not stored")
        for old in [k for k in _memo if k.endswith(f":{audience}")]:
            del _memo[old]
        _memo[key] = vectors
    return vectors


def vector_overlap(first: SkillVector, second: SkillVector) -> tuple[int, str]:
    """(score 0 to 100, vocabulary) for a pair: exactly skill_overlap([a, b]).score, the
    weighted Jaccard index sum(min) / sum(max), using sum(max) = sum(a) + sum(b) - sum(min):
    O*NET's weights pairwise (both tuples hold the same skills in the same order), the editors'
    over the first role's skills only (a skill the first lacks adds nothing to sum(min))."""
    if first.has_onet and second.has_onet:
        shared = sum(map(min, first.onet, second.onet))
        return _score(shared, first.onet_total, second.onet_total), ONET
    mine, theirs = first.editors, second.editors
    shared = sum(map(min, mine.values(), map(theirs.get, mine.keys(), repeat(0))))
    return _score(shared, first.editors_total, second.editors_total), EDITORS


def _score(shared: int, mine_total: int, theirs_total: int) -> int:
    union = mine_total + theirs_total - shared
    return round(100 * shared / union) if union else 0


# --- One move ---


@dataclass(frozen=True, slots=True)
class MoveRole:
    """What a move shows of a role: a Role instance per candidate costs more than the
    ranking itself at a thousand roles."""

    pk: int
    slug: str
    name: str
    family_id: str


def pay_change_words(change: int | None) -> str:
    """ "pays about $18,000 more", median to median, to the nearest thousand."""
    if change is None:
        return "pay not known for both roles"
    rounded = round(abs(change) / PAY_ROUNDING) * PAY_ROUNDING
    if not rounded:
        return "pays about the same"
    return f"pays about ${rounded:,} {'more' if change > 0 else 'less'}"


def preparation_words(change: int | None, zone: int | None) -> str:
    """ "needs more preparation (Job Zone 3 to 4)"; `zone` is the new role's."""
    if change is None:
        return "preparation not known for both roles"
    if change == 0:
        return "needs the same preparation"
    more = "more" if change > 0 else "less"
    return f"needs {more} preparation (Job Zone {zone - change} to {zone})"


@dataclass
class Move:
    """A move from `origin` to `role` (both light: pk, slug, name, family_id)."""

    origin: Role
    role: MoveRole
    overlap: int
    vocabulary: str
    pay_change: int | None  # median to median, None unless both are known
    zone_change: int | None  # Job Zone to Job Zone, None unless both are known
    zone: int | None
    related: bool  # O*NET lists it among the origin's related occupations
    guide_slug: str  # the curated guide for the move, or ""

    @property
    def same_family(self) -> bool:
        return self.role.family_id == self.origin.family_id

    @property
    def overlap_words(self) -> str:
        return overlap_in_words(self.overlap)

    @property
    def pay_words(self) -> str:
        return pay_change_words(self.pay_change)

    @property
    def preparation_words(self) -> str:
        return preparation_words(self.zone_change, self.zone)

    @property
    def explanation(self) -> str:
        """One line: "shares 78% of the skills; pays about $18,000 more; needs the same
        preparation"."""
        return f"shares {self.overlap}% of the skills; {self.pay_words}; {self.preparation_words}"

    @property
    def comparison_url(self) -> str:
        slugs = comparison_slug([self.origin.slug, self.role.slug])
        return reverse("roles:comparison_detail", kwargs={"slugs": slugs})

    @property
    def plan_url(self) -> str:
        """The curated guide where one exists, else the generated plan: the same address."""
        slug = self.guide_slug or guide_slug(self.origin.slug, self.role.slug)
        return reverse("roles:guide_detail", kwargs={"slug": slug})


# --- Filters and sorts ---

SORTS = {
    "": "Best match first (skills shared)",
    "pay": "Largest pay rise first",
    "preparation": "Least extra preparation first",
    "name": "By name",
}


def _rank(overlap: int, related, guide_slug, name: str, slug: str) -> tuple:
    """Best match first: most skills shared, then O*NET's related ones, then those with a
    curated guide, then by name (and slug, which is unique, so no two moves tie)."""
    return (-overlap, not related, not guide_slug, name, slug)


def _best(move: Move):
    return _rank(move.overlap, move.related, move.guide_slug, move.role.name, move.role.slug)


def _unknown_last(value):
    return (value is None, value if value is not None else 0)


SORT_KEYS = {
    "": _best,
    "pay": lambda m: (_unknown_last(None if m.pay_change is None else -m.pay_change), _best(m)),
    "preparation": lambda m: (_unknown_last(m.zone_change), _best(m)),
    "name": lambda m: (m.role.name, m.role.slug),
}


def filter_and_sort(
    moves: list[Move],
    *,
    pays_more: bool = False,
    no_more_preparation: bool = False,
    same_family: bool = False,
    sort: str = "",
) -> list[Move]:
    """The moves that pass every filter chosen, in the order chosen. A move whose pay (or Job
    Zone) is not known for both roles cannot be shown to pay more (or to need no more
    preparation), so those filters leave it out."""
    kept = [
        move
        for move in moves
        if (not pays_more or (move.pay_change is not None and move.pay_change > 0))
        and (not no_more_preparation or (move.zone_change is not None and move.zone_change <= 0))
        and (not same_family or move.same_family)
    ]
    return sorted(kept, key=SORT_KEYS[sort])


# --- Every move from a role ---


def move_rows(roles, related_ids: set[int], guide_to: dict[int, str]) -> list[tuple]:
    """moves_from's rows, (pk, slug, name, family_id, Job Zone number, median pay, related,
    guide slug or None), for the picker's kept roles (roles/picker.py), which carry `move_zone`
    and `pay_order` already; what depends on where the move starts is given: the ids of the
    roles O*NET lists as related, and {to_role_id: slug} of the guides from it."""
    return [
        (
            other.id,
            other.slug,
            other.name,
            other.family_id,
            other.move_zone,
            other.pay_order,
            other.id in related_ids,
            guide_to.get(other.id),
        )
        for other in roles
    ]


def moves_from(
    origin: Role, user, *, rows: list[tuple] | None = None, best: int | None = None
) -> list[Move]:
    """Every other role `user` may see, as a move from `origin`, best match first. The
    candidates are the picker's roles, kept in memory for the public, so only what depends on
    the origin is read: its related roles and its guides, two small queries (none with `rows`:
    the caller's move_rows, as the profile builds them from its own queries); the skill vectors
    are cached. With `best`, only the first `best` moves (the very ones the whole list starts
    with): every candidate is scored, but a Move is made only for those, which at a thousand
    roles is most of the cost."""
    if rows is None:
        related_ids = set(
            RelatedRole.objects.filter(role=origin.pk).values_list("related", flat=True)
        )
        guides = Guide.objects.visible_to(user).filter(from_role=origin.pk)
        rows = move_rows(
            picker_roles(user), related_ids, dict(guides.values_list("to_role", "slug"))
        )
    vectors = skill_vectors(user)
    mine = vectors.get(origin.pk, EMPTY_VECTOR)
    origin_zone = origin_pay = None
    ranked = []  # (_rank, place, vocabulary, row) for each candidate
    for row in rows:
        pk, slug, name, _family_id, zone, pay, related, guide = row
        if pk == origin.pk:
            origin_zone, origin_pay = zone, pay
            continue
        overlap, vocabulary = vector_overlap(mine, vectors.get(pk, EMPTY_VECTOR))
        ranked.append((_rank(overlap, related, guide, name, slug), len(ranked), vocabulary, row))
    chosen = sorted(ranked) if best is None else heapq.nsmallest(best, ranked)
    moves = []
    for key, _place, vocabulary, row in chosen:
        pk, slug, name, family_id, zone, pay, related, guide = row
        moves.append(
            Move(
                origin=origin,
                role=MoveRole(pk, slug, name, family_id),
                overlap=-key[0],
                vocabulary=vocabulary,
                pay_change=None if pay is None or origin_pay is None else pay - origin_pay,
                zone_change=None if zone is None or origin_zone is None else zone - origin_zone,
                zone=zone,
                related=bool(related),
                guide_slug=guide or "",
            )
        )
    return moves
