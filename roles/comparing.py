"""What a comparison page computes from roles that are already loaded: no queries here."""

from dataclasses import dataclass
from itertools import combinations

from django.urls import reverse

from roles.models import (
    Comparison,
    Criterion,
    Role,
    RoleCriterionValue,
    Skill,
    comparison_slug,
)


@dataclass
class ComparisonRow:
    criterion: Criterion
    cells: list[tuple[Role, RoleCriterionValue | None]]
    narrative: str


def comparison_rows(roles: list[Role], criteria: list[Criterion]) -> list[ComparisonRow]:
    """One row per criterion, one cell per role; roles must have `criterion_values` prefetched and
    criteria a `narrative` (CriterionQuerySet.with_narratives)."""
    values = {
        (value.role_id, value.criterion_id): value
        for role in roles
        for value in role.criterion_values.all()
    }
    return [
        ComparisonRow(
            criterion=criterion,
            cells=[(role, values.get((role.id, criterion.id))) for role in roles],
            narrative=criterion.narrative,
        )
        for criterion in criteria
    ]


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


@dataclass
class SharedSkill:
    skill: Skill
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

    @property
    def in_words(self) -> str:
        return overlap_in_words(self.score)


DISTINCTIVE_SKILLS = 3  # per role, in the computed "At a glance"

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


def skill_overlap(roles: list[Role]) -> SkillOverlap:
    """How much the skill profiles of the roles overlap, weighted by importance.

    Each role rates each skill 1-5 (a skill it does not list counts 0). The score is the weighted
    Jaccard index over every skill any of the roles lists (the help page at /about/overlap/ says
    the same to readers):

        score = 100 * sum over skills of min(importance per role)
                    / sum over skills of max(importance per role)

    so two roles rating the same skills the same score 100, roles with no skill in common score 0,
    and a skill that one role finds essential (5) but another only useful (1) counts as a partial
    match. Roles must have `role_skills` prefetched with their skill.
    """
    ratings: dict[int, dict[int, int]] = {}  # skill id -> role id -> importance
    skills: dict[int, Skill] = {}
    for role in roles:
        for role_skill in role.role_skills.all():
            skills[role_skill.skill_id] = role_skill.skill
            ratings.setdefault(role_skill.skill_id, {})[role.id] = role_skill.importance

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
    )


@dataclass
class SkillGap:
    skill: Skill
    have: int  # importance in the role the reader is leaving (0: not needed there)
    need: int  # importance in the role the reader is moving to

    @property
    def gap(self) -> int:
        return self.need - self.have


@dataclass
class MoveSkills:
    develop: list[SkillGap]  # the target needs more of these; largest gap first
    carry_over: list[SkillGap]  # both roles need these and the reader already has enough


def move_skills(from_skills: list, to_skills: list) -> MoveSkills:
    """What a move between two roles asks of the reader, from the roles' RoleSkill rows.

    A skill is to develop when the target role rates it higher than the current role does (a
    skill the current role does not list counts 0); the gap is the difference. A skill carries
    over when both roles need it and the current role already rates it at least as high.
    """
    have = {rs.skill_id: rs.importance for rs in from_skills}
    develop, carry_over = [], []
    for role_skill in to_skills:
        item = SkillGap(role_skill.skill, have.get(role_skill.skill_id, 0), role_skill.importance)
        if item.gap > 0:
            develop.append(item)
        else:
            carry_over.append(item)
    develop.sort(key=lambda g: (-g.gap, -g.need, g.skill.name))
    carry_over.sort(key=lambda g: (-g.need, g.skill.name))
    return MoveSkills(develop=develop, carry_over=carry_over)
