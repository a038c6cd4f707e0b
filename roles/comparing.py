"""What a comparison page computes from roles that are already loaded: no queries here."""

from dataclasses import dataclass

from roles.models import Comparison, Criterion, Role, RoleCriterionValue, Skill


@dataclass
class ComparisonRow:
    criterion: Criterion
    cells: list[tuple[Role, RoleCriterionValue | None]]
    narrative: str


def comparison_rows(
    roles: list[Role], criteria: list[Criterion], comparison: Comparison | None
) -> list[ComparisonRow]:
    """One row per criterion, one cell per role; roles must have `criterion_values` prefetched."""
    narratives = {s.criterion_id: s.body for s in comparison.sections.all()} if comparison else {}
    values = {
        (value.role_id, value.criterion_id): value
        for role in roles
        for value in role.criterion_values.all()
    }
    return [
        ComparisonRow(
            criterion=criterion,
            cells=[(role, values.get((role.id, criterion.id))) for role in roles],
            narrative=narratives.get(criterion.id, ""),
        )
        for criterion in criteria
    ]


@dataclass
class SharedSkill:
    skill: Skill
    importances: list[int]  # one per role, in the roles' order


@dataclass
class SkillOverlap:
    score: int  # 0..100
    shared: list[SharedSkill]  # needed by every role compared
    only: list[tuple[Role, list[tuple[Skill, int]]]]  # per role: skills no other role needs
    has_skills: bool


def skill_overlap(roles: list[Role]) -> SkillOverlap:
    """How much the skill profiles of the roles overlap, weighted by importance.

    Each role rates each skill 1-5 (a skill it does not list counts 0). The score is the weighted
    Jaccard index over every skill any of the roles lists:

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

    overlap_sum = total_sum = 0
    shared: list[SharedSkill] = []
    only: dict[int, list[tuple[Skill, int]]] = {role.id: [] for role in roles}
    for skill_id, by_role in ratings.items():
        levels = [by_role.get(role.id, 0) for role in roles]
        overlap_sum += min(levels)
        total_sum += max(levels)
        if min(levels) > 0:
            shared.append(SharedSkill(skill=skills[skill_id], importances=levels))
        elif len(by_role) == 1:
            (role_id, importance), *_ = by_role.items()
            only[role_id].append((skills[skill_id], importance))

    shared.sort(key=lambda s: (-sum(s.importances), s.skill.name))
    for items in only.values():
        items.sort(key=lambda pair: (-pair[1], pair[0].name))
    return SkillOverlap(
        score=round(100 * overlap_sum / total_sum) if total_sum else 0,
        shared=shared,
        only=[(role, only[role.id]) for role in roles],
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
