"""Generated plans: a move between any two published roles that no editor has written a guide
for, worked out from the roles' data (/transitions/<from>-to-<to>/).

A plan's steps are the skills and knowledge to build, largest gap first. Each is keyed by the
skill itself (`PlanStep.key`: O*NET's element id, or the editors' skill slug), not by its
place in the list, so a reader's tick stays with the skill when a re-import reorders the plan,
and a skill that leaves the plan simply stops being shown.
"""

from dataclasses import dataclass, field

from django.db.models import DecimalField, Value
from django.db.models.functions import Cast

from roles.comparing import EDITORS, ONET, SkillGap, move_skills
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
    guide_slug,
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
    key: str  # what a tick is stored against: "onet:2.A.1.a" or "skill:12" (step_key)
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
    vocabulary: str  # ONET or EDITORS (roles/comparing.py)
    steps: list[PlanStep]
    carry_over: list[SkillGap]
    new_tasks: list[RoleTask]
    new_task_count: int
    pays: tuple[RolePay, RolePay] = (RolePay(), RolePay())
    guides: list = field(default_factory=list)  # curated guides that start or end at either role
    is_bookmarked: bool = False  # by the reader (roles/views/plans.py reader_state)

    @property
    def uses_onet(self) -> bool:
        return self.vocabulary == ONET

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

    @property
    def slug(self) -> str:
        return guide_slug(self.from_role.slug, self.to_role.slug)

    def step_for(self, key: str) -> PlanStep | None:
        return next((step for step in self.steps if step.key == key), None)


def step_key(skill: Skill | OnetElement) -> str:
    """O*NET's element id is the same in every release; an editors' skill is kept by its
    primary key, which survives a rename."""
    if isinstance(skill, OnetElement):
        return f"onet:{skill.element_id}"
    return f"skill:{skill.pk}"


def _ratings_and_skills(role_ids: list[int], user) -> tuple[list[RoleRating], list[RoleSkill]]:
    """Both roles' O*NET ratings (skills and knowledge) and editors' skills, in one query."""
    decimal = DecimalField(max_digits=3, decimal_places=2)
    ratings = RoleRating.objects.filter(role__in=role_ids).values_list(
        Value(ONET),
        "role_id",
        "element_id",
        "element__name",
        "element__element_id",
        "element__kind",
        "importance",
        "level",
    )
    skills = skills_prefetch(user).queryset.filter(role__in=role_ids)
    skills = skills.values_list(
        Value(EDITORS),
        "role_id",
        "skill_id",
        "skill__name",
        "skill__slug",
        Value(""),
        Cast("importance", decimal),
        Cast(Value(None), decimal),
    )
    found_ratings, found_skills = [], []
    for vocabulary, role_id, pk, name, ident, kind, importance, level in (
        ratings.order_by().union(skills.order_by(), all=True).order_by()
    ):
        if vocabulary == ONET:
            element = OnetElement(pk=pk, name=name, element_id=ident, kind=kind)
            found_ratings.append(
                RoleRating(role_id=role_id, element=element, importance=importance, level=level)
            )
        else:
            skill = Skill(pk=pk, name=name, slug=ident)
            found_skills.append(RoleSkill(role_id=role_id, skill=skill, importance=int(importance)))
    return found_ratings, found_skills


def _steps(from_role: Role, to_role: Role, ratings, role_skills) -> tuple[str, list, list]:
    """(vocabulary, steps, carry_over) for a move, from rows that include both roles'."""
    ids = [from_role.pk, to_role.pk]
    ratings = [r for r in ratings if r.role_id in ids]
    rated = {rating.role_id for rating in ratings if rating.element.kind == ElementKind.SKILL}
    if rated == set(ids):
        vocabulary = ONET
        rows = {role_id: [r for r in ratings if r.role_id == role_id] for role_id in ids}
        levels = {(r.role_id, r.element_id): r.level for r in ratings}
        kinds = {r.element_id: r.element.kind for r in ratings}
    else:
        vocabulary = EDITORS
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
    return vocabulary, steps, moves.carry_over


def plans_for(pairs: list[tuple[Role, Role]], user) -> list["Plan"]:
    """The steps of several plans at once (the bookmarks page), in one query whatever their
    number; no tasks, pay or guides."""
    ids = sorted({role.pk for pair in pairs for role in pair})
    ratings, role_skills = _ratings_and_skills(ids, user) if ids else ([], [])
    plans = []
    for from_role, to_role in pairs:
        vocabulary, steps, carry_over = _steps(from_role, to_role, ratings, role_skills)
        plans.append(Plan(from_role, to_role, vocabulary, steps, carry_over, [], 0))
    return plans


def build_plan(from_role: Role, to_role: Role, user) -> Plan:
    """The plan for a move, in two queries: both roles' O*NET ratings and editors' skills
    (O*NET's when both roles have O*NET skill ratings, as a comparison chooses), and the
    target's tasks with the current role's (the view adds pay, guides and the reader's ticks)."""
    ids = [from_role.pk, to_role.pk]
    ratings, role_skills = _ratings_and_skills(ids, user)
    vocabulary, steps, carry_over = _steps(from_role, to_role, ratings, role_skills)
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
        carry_over=carry_over,
        new_tasks=new_tasks[:NEW_TASKS_LISTED],
        new_task_count=len(new_tasks),
    )
