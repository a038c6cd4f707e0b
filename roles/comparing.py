"""What a comparison page computes from roles that are already loaded: no queries here."""

from dataclasses import dataclass
from functools import cache
from itertools import combinations

from django.urls import reverse

from roles.models import (
    Comparison,
    Criterion,
    OnetElement,
    Role,
    RoleCriterionValue,
    RoleRating,
    Skill,
    Source,
    comparison_slug,
)


@dataclass
class ComparisonRow:
    criterion: Criterion
    cells: list[tuple[Role, RoleCriterionValue | None]]
    narrative: str

    @property
    def is_empty(self) -> bool:
        """No compared role has a value here and no editor wrote about it: nothing to show."""
        return not self.narrative and not any(value for _role, value in self.cells)


def comparison_rows(roles: list[Role], criteria: list[Criterion]) -> list[ComparisonRow]:
    """One row per criterion, one cell per role. Criteria carry a `narrative`
    (CriterionQuerySet.with_narratives) and, for the i-th role, its value's `value_<i>`,
    `detail_<i>`, `source_<i>` and `release_<i>` (None without a value), which the comparison
    view annotates."""
    return [
        ComparisonRow(
            criterion=criterion,
            cells=[(role, _value(role, criterion, i)) for i, role in enumerate(roles)],
            narrative=criterion.narrative,
        )
        for criterion in criteria
    ]


def _value(role: Role, criterion: Criterion, i: int) -> RoleCriterionValue | None:
    value = getattr(criterion, f"value_{i}")
    if value is None:
        return None
    return RoleCriterionValue(
        role=role,
        criterion=criterion,
        value=value,
        detail=getattr(criterion, f"detail_{i}") or "",
        source=getattr(criterion, f"source_{i}"),
        release=getattr(criterion, f"release_{i}") or "",
    )


def split_rows(rows: list[ComparisonRow]) -> tuple[list[ComparisonRow], list[Criterion]]:
    """The rows worth a place in the table, and the criteria left out because no compared role
    has a value for them (the page names those under the table). A row where only some roles
    have a value stays, and says "not described yet" for the others."""
    shown = [row for row in rows if not row.is_empty]
    hidden = [row.criterion for row in rows if row.is_empty]
    return shown, hidden


@dataclass
class OnetCredit:
    """A page shows O*NET data: the credit it owes (templates/roles/includes/onet_credit.html)
    names these releases."""

    releases: list[str]


def onet_credit(releases: set[str], *, shown: bool) -> OnetCredit | None:
    return OnetCredit(sorted(release for release in releases if release)) if shown else None


def comparison_onet_credit(
    roles: list[Role], rows: list[ComparisonRow], overlap: "SkillOverlap"
) -> OnetCredit | None:
    """The credit a comparison owes, when it shows O*NET data: an imported role (its name and
    description; the comparison view annotates roles with `is_imported` and `imported_release`),
    a value derived from O*NET, or O*NET's skill ratings in the overlap."""
    releases = [role.imported_release for role in roles if role.is_imported]
    releases += [
        value.release
        for row in rows
        for _role, value in row.cells
        if value is not None and value.source == Source.ONET
    ]
    if overlap.uses_onet:
        releases += [rating.release for role in roles for rating in role.skill_ratings]
    return onet_credit(set(releases), shown=bool(releases))


@dataclass
class Related:
    """A comparison a page suggests next: a curated one, or a generated pair worth a look."""

    title: str
    url: str
    curated: bool


def related_comparisons(
    roles: list[Role], nearby: list[Comparison], picker_roles: list[Role], limit: int
) -> list[Related]:
    """Curated comparisons of these roles (other than the page's own), then generated pairings of
    each role with others of its family, so that even a page no editor wrote leads on."""
    here = {role.slug for role in roles}
    current = comparison_slug(list(here))
    found: dict[str, Related] = {}
    for comparison in nearby:
        if comparison.slug != current:
            found.setdefault(
                comparison.slug, Related(comparison.title, comparison.get_absolute_url(), True)
            )
    for role in roles:
        for other in picker_roles:
            if other.family_id != role.family_id or other.slug in here:
                continue
            pair = sorted([role, other], key=lambda r: r.slug)
            slug = comparison_slug([r.slug for r in pair])
            url = reverse("roles:comparison_detail", kwargs={"slugs": slug})
            found.setdefault(slug, Related(" vs ".join(r.name for r in pair), url, False))
            if len(found) >= limit:
                return list(found.values())
    return list(found.values())[:limit]


EDITORS, ONET = "editors", "onet"  # the two skill vocabularies a comparison can use


@dataclass
class SharedSkill:
    skill: Skill | OnetElement
    importances: list[int]  # one per role, in the roles' order; 0: the role does not list it


@dataclass
class PairOverlap:
    first: Role
    second: Role
    score: int  # 0..100


@dataclass
class SkillOverlap:
    score: int  # 0..100
    shared: list[SharedSkill]  # listed by every role compared
    partial: list[SharedSkill]  # listed by more than one role but not by all of them
    only: list[tuple[Role, list[tuple[Skill, int]]]]  # per role: skills no other role lists
    distinctive: list[tuple[Role, list[Skill]]]  # per role: what it rates above every other role
    pairs: list[PairOverlap]  # every pair's score, when more than two roles are compared
    skill_count: int  # skills listed by any of the roles
    has_skills: bool
    vocabulary: str = EDITORS  # EDITORS: the editors' skills; ONET: O*NET's 35 skills

    @property
    def in_words(self) -> str:
        return overlap_in_words(self.score)

    @property
    def uses_onet(self) -> bool:
        return self.vocabulary == ONET

    # O*NET rates 35 skills for every role: the page lists the highest rated of each kind.
    @property
    def shared_listed(self) -> list[SharedSkill]:
        return self.shared[:SKILLS_LISTED]

    @property
    def shared_unlisted(self) -> int:
        return max(0, len(self.shared) - SKILLS_LISTED)

    @property
    def partial_listed(self) -> list[SharedSkill]:
        return self.partial[:SKILLS_LISTED]

    @property
    def partial_unlisted(self) -> int:
        return max(0, len(self.partial) - SKILLS_LISTED)

    @property
    def only_listed(self) -> list[tuple[Role, list[tuple[Skill, int]], int]]:
        """Per role: its own skills, highest first, and how many more are left unlisted."""
        return [
            (role, skills[:SKILLS_LISTED], max(0, len(skills) - SKILLS_LISTED))
            for role, skills in self.only
        ]


DISTINCTIVE_SKILLS = 3  # per role, in the computed "At a glance"
SKILLS_LISTED = 12  # rows of each skill list a comparison shows (the page says how many more)

# (lowest score, words): the score said plainly, for "their skills overlap ...".
OVERLAP_WORDS = ((75, "heavily"), (50, "a good deal"), (25, "somewhat"), (1, "a little"))


def overlap_in_words(score: int) -> str:
    for lowest, words in OVERLAP_WORDS:
        if score >= lowest:
            return words
    return "not at all"


def _weighted_jaccard(ratings: dict[int, dict[int, int]], role_ids: list[int]) -> int:
    overlap_sum = total_sum = 0
    for by_role in ratings.values():
        levels = [by_role.get(role_id, 0) for role_id in role_ids]
        overlap_sum += min(levels)
        total_sum += max(levels)
    return round(100 * overlap_sum / total_sum) if total_sum else 0


def uses_onet_skills(roles: list[Role]) -> bool:
    """Every role has O*NET skill ratings (`skill_ratings`, prefetched by the view when the
    roles' `has_skill_ratings` said so): then they are compared on that one vocabulary."""
    return bool(roles) and all(getattr(role, "skill_ratings", None) for role in roles)


# O*NET rates every skill for every occupation; 1 is its "not important", so a skill rated 1
# counts as one the role does not need, as a skill the editors do not list counts 0.
ONET_NOT_IMPORTANT = 1


def onet_weight(rating) -> int:
    """A RoleRating's 1 to 5 rating as the overlap counts it: 0 for "not important"."""
    return 0 if rating.rating <= ONET_NOT_IMPORTANT else rating.rating


@cache
def onet_weight_of(importance) -> int:
    """onet_weight for a bare importance (roles/moves.py reads them without model rows; a few
    hundred distinct values, so each is worked out once)."""
    return onet_weight(RoleRating(importance=importance))


def skill_ratings(role: Role, vocabulary: str) -> list[tuple[int, Skill | OnetElement, int]]:
    """(key, skill, weight) for each skill a role rates, in the vocabulary chosen."""
    if vocabulary == ONET:
        return [
            (rating.element_id, rating.element, onet_weight(rating))
            for rating in role.skill_ratings
            if onet_weight(rating)
        ]
    return [(rs.skill_id, rs.skill, rs.importance) for rs in role.role_skills.all()]


def skill_overlap(roles: list[Role]) -> SkillOverlap:
    """How much the skill profiles of the roles overlap, weighted by importance.

    One vocabulary for all the roles: O*NET's skills when every role has O*NET ratings
    (`uses_onet_skills`; a rating of 1, "not important", counts 0), else the editors' skills.
    Knowledge areas are left out either way: they say what a role must know, not what it does.

    Each role rates each skill 1-5 (a skill it does not list counts 0). The score is the weighted
    Jaccard index over every skill any of the roles lists (the help page at /about/overlap/ says
    the same to readers):

        score = 100 * sum over skills of min(importance per role)
                    / sum over skills of max(importance per role)

    so two roles rating the same skills the same score 100, roles with no skill in common score 0,
    and a skill that one role finds essential (5) but another only useful (1) counts as a partial
    match. Roles must have `role_skills` prefetched with their skill, or `skill_ratings`.
    """
    vocabulary = ONET if uses_onet_skills(roles) else EDITORS
    ratings: dict[int, dict[int, int]] = {}  # skill id -> role id -> importance
    skills: dict[int, Skill | OnetElement] = {}
    for role in roles:
        for key, skill, importance in skill_ratings(role, vocabulary):
            skills[key] = skill
            ratings.setdefault(key, {})[role.id] = importance

    shared: list[SharedSkill] = []
    partial: list[SharedSkill] = []
    only: dict[int, list[tuple[Skill, int]]] = {role.id: [] for role in roles}
    lead: dict[int, list[tuple[int, int, Skill]]] = {role.id: [] for role in roles}
    for skill_id, by_role in ratings.items():
        levels = [by_role.get(role.id, 0) for role in roles]
        if min(levels) > 0:
            shared.append(SharedSkill(skill=skills[skill_id], importances=levels))
        elif len(by_role) > 1:
            partial.append(SharedSkill(skill=skills[skill_id], importances=levels))
        else:
            (role_id, importance), *_ = by_role.items()
            only[role_id].append((skills[skill_id], importance))
        for role, level in zip(roles, levels, strict=True):
            others = max(
                other for other_role, other in zip(roles, levels, strict=True) if other_role != role
            )
            if level > others:
                lead[role.id].append((level - others, level, skills[skill_id]))

    for items in (shared, partial):
        items.sort(key=lambda s: (-sum(s.importances), s.skill.name))
    for items in only.values():
        items.sort(key=lambda pair: (-pair[1], pair[0].name))
    distinctive = []
    for role in roles:
        ranked = sorted(lead[role.id], key=lambda item: (-item[0], -item[1], item[2].name))
        distinctive.append((role, [skill for _gap, _level, skill in ranked[:DISTINCTIVE_SKILLS]]))
    pairs = []
    if len(roles) > 2:
        pairs = [
            PairOverlap(first, second, _weighted_jaccard(ratings, [first.id, second.id]))
            for first, second in combinations(roles, 2)
        ]
    return SkillOverlap(
        score=_weighted_jaccard(ratings, [role.id for role in roles]),
        shared=shared,
        partial=partial,
        only=[(role, only[role.id]) for role in roles],
        distinctive=distinctive,
        pairs=pairs,
        skill_count=len(ratings),
        has_skills=bool(ratings),
        vocabulary=vocabulary,
    )


@dataclass
class SkillGap:
    skill: Skill | OnetElement
    have: int  # importance in the role the reader is leaving (0: not needed there)
    need: int  # importance in the role the reader is moving to

    @property
    def gap(self) -> int:
        return self.need - self.have


@dataclass
class MoveSkills:
    develop: list[SkillGap]  # the target needs more of these; largest gap first
    carry_over: list[SkillGap]  # both roles need these and the reader already has enough


def _rated(row) -> tuple[int, Skill | OnetElement, int]:
    """(key, skill, weight) of a RoleSkill or of a RoleRating (O*NET's, weighted as the overlap
    weighs it), so a move reads either vocabulary; both lists must use the same one."""
    if isinstance(row, RoleRating):
        return row.element_id, row.element, onet_weight(row)
    return row.skill_id, row.skill, row.importance


def move_skills(from_skills: list, to_skills: list) -> MoveSkills:
    """What a move between two roles asks of the reader, from the roles' RoleSkill rows, or
    from their O*NET RoleRating rows when both roles have them (`uses_onet_skills`).

    A skill is to develop when the target role rates it higher than the current role does (a
    skill the current role does not list counts 0); the gap is the difference. A skill carries
    over when both roles need it and the current role already rates it at least as high.
    """
    have = {key: weight for key, _skill, weight in map(_rated, from_skills)}
    develop, carry_over = [], []
    for key, skill, weight in map(_rated, to_skills):
        if not weight:
            continue  # O*NET's "not important": nothing to develop or carry over
        item = SkillGap(skill, have.get(key, 0), weight)
        if item.gap > 0:
            develop.append(item)
        else:
            carry_over.append(item)
    develop.sort(key=lambda g: (-g.gap, -g.need, g.skill.name))
    carry_over.sort(key=lambda g: (-g.need, g.skill.name))
    return MoveSkills(develop=develop, carry_over=carry_over)
