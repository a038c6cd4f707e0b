"""Generated plans: a move between any two published roles that no editor has written a guide
for, worked out from the roles' data (/transitions/<from>-to-<to>/).

A plan's steps are the skills and knowledge to build, largest gap first. Each is keyed by the
skill itself (`PlanStep.key`: O*NET's element id, or the editors' skill slug), not by its
place in the list, so a reader's tick stays with the skill when a re-import reorders the plan,
and a skill that leaves the plan simply stops being shown.
"""

from dataclasses import dataclass, field

from roles.comparing import SkillGap, move_skills
from roles.models import (
    ElementKind,
    OnetElement,
    Role,
    RolePay,
    RoleRating,
    RoleSkill,
    RoleTask,
    Skill,
    TaskType,
    skills_prefetch,
    title_key,
)
from roles.moves import pay_change_words, preparation_words

TRANSITION_JOINER = "-to-"
NEW_TASKS_LISTED = 12


def split_pair(slug: str) -> list[tuple[str, str]]:
    """Every way to read `slug` as <from>-to-<to>. Role slugs may not contain the word "to"
    (a database constraint), so there is at most one for current roles; every split is
    offered all the same, and the view keeps the one whose two roles exist."""
    pairs = []
    start = slug.find(TRANSITION_JOINER)
    while start > 0:
        first, second = slug[:start], slug[start + len(TRANSITION_JOINER) :]
        if second:
            pairs.append((first, second))
        start = slug.find(TRANSITION_JOINER, start + 1)
    return pairs


@dataclass
class PlanStep:
    """One skill or knowledge area to build."""

    position: int  # 1-based, in the plan's order (largest gap first)
    key: str  # what a tick is stored against: "onet:2.A.1.a" or "skill:negotiation"
    name: str
    kind: str  # "skill" or "knowledge"
    have: int  # 0 to 5, as the overlap weighs it (0: not needed in the current role)
    need: int
    have_level: object = None  # O*NET's level, 0 to 7, where published
    need_level: object = None
    is_done: bool = False

    @property
    def gap(self) -> int:
        return self.need - self.have

    @property
    def anchor(self) -> str:
        return f"step-{self.position}"


@dataclass
class Plan:
    from_role: Role
    to_role: Role
    vocabulary: str  # "onet" or "editors"
    steps: list[PlanStep]
    carry_over: list[SkillGap]
    new_tasks: list[RoleTask]
    new_task_count: int
    pays: tuple[RolePay, RolePay] = (RolePay(), RolePay())
    guides: list = field(default_factory=list)  # curated guides that start or end at either role

    @property
    def uses_onet(self) -> bool:
        return self.vocabulary == "onet"

    @property
    def pay_change(self) -> int | None:
        first, second = self.pays
        if first.published and second.published:
            return second.median.value - first.median.value
        return None

    @property
    def zone_change(self) -> int | None:
        first, second = self.from_role.job_zone, self.to_role.job_zone
        return second.number - first.number if first and second else None

    @property
    def pay_words(self) -> str:
        return pay_change_words(self.pay_change)

    @property
    def preparation_words(self) -> str:
        zone = self.to_role.job_zone.number if self.to_role.job_zone else None
        return preparation_words(self.zone_change, zone)

    @property
    def done_count(self) -> int:
        return sum(step.is_done for step in self.steps)

    @property
    def next_step(self) -> PlanStep | None:
        return next((step for step in self.steps if not step.is_done), None)


def step_key(skill: Skill | OnetElement) -> str:
    if isinstance(skill, OnetElement):
        return f"onet:{skill.element_id}"
    return f"skill:{skill.slug}"


def _ratings(role_ids: list[int]) -> list[RoleRating]:
    return list(RoleRating.objects.filter(role__in=role_ids).select_related("element").order_by())


def build_plan(from_role: Role, to_role: Role, user) -> Plan:
    """The plan for a move, in three queries: both roles' O*NET ratings (the editors' skills
    instead, when either role has none), the target's tasks with the current role's, and the
    guides at either end (the view adds the pay and the reader's ticks)."""
    ids = [from_role.pk, to_role.pk]
    ratings = _ratings(ids)
    rated = {rating.role_id for rating in ratings if rating.element.kind == ElementKind.SKILL}
    if rated == set(ids):
        vocabulary = "onet"
        rows = {role_id: [r for r in ratings if r.role_id == role_id] for role_id in ids}
        levels = {(r.role_id, r.element_id): r.level for r in ratings}
        kinds = {r.element_id: r.element.kind for r in ratings}
    else:
        vocabulary = "editors"
        skills = skills_prefetch(user).queryset.filter(role__in=ids).order_by()
        role_skills: list[RoleSkill] = list(skills)
        rows = {role_id: [rs for rs in role_skills if rs.role_id == role_id] for role_id in ids}
        levels, kinds = {}, {}
    moves = move_skills(rows[from_role.pk], rows[to_role.pk])
    steps = []
    for position, gap in enumerate(moves.develop, start=1):
        pk = gap.skill.pk
        steps.append(
            PlanStep(
                position=position,
                key=step_key(gap.skill),
                name=gap.skill.name,
                kind=kinds.get(pk, ElementKind.SKILL),
                have=gap.have,
                need=gap.need,
                have_level=levels.get((from_role.pk, pk)),
                need_level=levels.get((to_role.pk, pk)),
            )
        )
    tasks = list(
        RoleTask.objects.filter(role__in=ids).only(
            "role", "statement", "task_type", "position", "task_id"
        )
    )
    known = {title_key(task.statement) for task in tasks if task.role_id == from_role.pk}
    new_tasks = [
        task
        for task in tasks
        if task.role_id == to_role.pk and title_key(task.statement) not in known
    ]
    new_tasks.sort(key=lambda t: (t.task_type != TaskType.CORE, t.position, t.task_id or 0))
    return Plan(
        from_role=from_role,
        to_role=to_role,
        vocabulary=vocabulary,
        steps=steps,
        carry_over=moves.carry_over,
        new_tasks=new_tasks[:NEW_TASKS_LISTED],
        new_task_count=len(new_tasks),
    )
