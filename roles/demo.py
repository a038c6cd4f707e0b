"""A synthetic catalogue for load tests and benchmarks: many roles, fully described, bulk-written.

It only ever adds rows. Names are made from word lists with a seeded random generator, so the same
`--seed` builds the same catalogue on any database.
"""

import random
from dataclasses import dataclass, field

from django.db import transaction

from roles.caching import content_changed
from roles.content_io import STARTER_CONTENT_DIR, content_import, content_read_directory
from roles.models import (
    FAQ,
    Comparison,
    ComparisonSection,
    Criterion,
    Difficulty,
    Family,
    Guide,
    GuideStep,
    Reference,
    Role,
    RoleCriterionValue,
    RoleSkill,
    Skill,
    comparison_slug,
    guide_slug,
)

SLUG_PREFIX = "demo"
BATCH = 2000

_QUALIFIERS = [
    "Senior",
    "Junior",
    "Lead",
    "Principal",
    "Regional",
    "Global",
    "Digital",
    "Technical",
    "Commercial",
    "Strategic",
    "Associate",
    "Field",
    "Clinical",
    "Financial",
    "Creative",
    "Operational",
    "Data",
    "Product",
    "Platform",
    "Customer",
]
_SUBJECTS = [
    "Partner",
    "Portfolio",
    "Vendor",
    "Campaign",
    "Supply",
    "Service",
    "Quality",
    "Pricing",
    "Growth",
    "Retail",
    "Content",
    "Security",
    "Research",
    "Training",
    "Logistics",
    "Revenue",
    "Community",
    "Insights",
    "Procurement",
    "Release",
]
_ROLES = [
    "Manager",
    "Coordinator",
    "Specialist",
    "Lead",
    "Analyst",
    "Consultant",
    "Officer",
    "Director",
    "Planner",
]
_VERBS = [
    "Plans",
    "Runs",
    "Improves",
    "Owns",
    "Coordinates",
    "Measures",
    "Negotiates",
    "Reviews",
    "Builds",
    "Supports",
]
_OBJECTS = [
    "budgets",
    "schedules",
    "client",
    "accounts",
    "supplier",
    "contracts",
    "releases",
    "reports",
    "teams",
    "processes",
    "roadmaps",
    "campaigns",
    "forecasts",
    "onboarding",
]


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, count: int) -> None:
        self.created[name] = self.created.get(name, 0) + count

    def summary(self) -> str:
        if not any(self.created.values()):
            return "Nothing to add: that demo catalogue is already there."
        return "Added " + ", ".join(f"{n} {name}" for name, n in self.created.items() if n) + "."


class DemoRefused(Exception):
    pass


def starter_role_slugs() -> set[str]:
    document = content_read_directory(STARTER_CONTENT_DIR)
    return {role["slug"] for role in document["roles"]}


def demo_catalogue_seed(*, roles: int, seed: int = 1, force: bool = False) -> DemoReport:
    """Add `roles` synthetic roles with every criterion value, skills, comparisons, guides, FAQs."""
    if roles < 2:
        raise DemoRefused("Ask for at least 2 roles.")
    extra = Role.objects.exclude(slug__in=starter_role_slugs())
    if extra.exists() and not force:
        raise DemoRefused(
            f"The database already holds {extra.count()} roles beyond the starter content. "
            "Use --force to add the demo catalogue anyway (it never changes existing rows)."
        )
    report = DemoReport()
    with transaction.atomic():
        if not Criterion.objects.exists():
            starter = content_import(data=content_read_directory(STARTER_CONTENT_DIR))
            report.add("starter records", sum(starter.created.values()))
        # A seeded generator on purpose: the same seed gives the same demo catalogue.
        _Builder(random.Random(seed), report).build(roles, seed)  # noqa: S311
        content_changed()  # bulk writes send no signals
    return report


class _Builder:
    def __init__(self, rng: random.Random, report: DemoReport):
        self.rng = rng
        self.report = report
        self.criteria = list(Criterion.objects.all())
        self.skills = list(Skill.objects.all())

    def sentence(self) -> str:
        rng = self.rng
        return f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)} and {rng.choice(_OBJECTS)}."

    def paragraph(self, sentences: int = 3) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def create(self, model, objects: list) -> None:
        model.objects.bulk_create(objects, batch_size=BATCH)
        self.report.add(str(model._meta.verbose_name_plural), len(objects))

    def build(self, count: int, seed: int) -> None:
        rng = self.rng
        families = list(Family.objects.values_list("slug", flat=True))
        wanted = []
        for i in range(count):
            name = f"{rng.choice(_QUALIFIERS)} {rng.choice(_SUBJECTS)} {rng.choice(_ROLES)}"
            slug = f"{SLUG_PREFIX}-s{seed}-{i + 1:05d}"
            wanted.append((slug, f"{name} {i + 1}", rng.choice(families)))
        existing = set(
            Role.objects.filter(slug__in=[s for s, _, _ in wanted]).values_list("slug", flat=True)
        )
        new_roles = [
            Role(
                slug=slug,
                name=name,
                family_id=family,
                summary=self.sentence(),
                description=self.paragraph(4),
                alternative_titles=f"{name.rsplit(' ', 1)[0]} (demo)",
                published=True,
            )
            for slug, name, family in wanted
            if slug not in existing
        ]
        if not new_roles:
            return
        self.create(Role, new_roles)
        roles = list(Role.objects.filter(slug__in=[r.slug for r in new_roles]).order_by("slug"))

        self.create(
            RoleCriterionValue,
            [
                RoleCriterionValue(
                    role=role,
                    criterion=criterion,
                    value=self.sentence()[:-1],
                    detail=self.sentence(),
                )
                for role in roles
                for criterion in self.criteria
            ],
        )
        self.create(
            RoleSkill,
            [
                RoleSkill(role=role, skill=skill, importance=rng.randint(1, 5))
                for role in roles
                for skill in rng.sample(self.skills, k=min(len(self.skills), rng.randint(5, 10)))
            ],
        )
        self.comparisons(roles)
        self.guides(roles)

    def comparisons(self, roles: list[Role]) -> None:
        rng = self.rng
        pairs = {
            tuple(sorted(rng.sample(roles, 2), key=lambda r: r.slug))
            for _ in range(len(roles) // 2)
        }
        comparisons = [
            Comparison(
                role_a=a,
                role_b=b,
                slug=comparison_slug([a.slug, b.slug]),
                title=f"{a.name} vs {b.name}",
                intro=self.paragraph(),
                verdict=self.paragraph(2),
                published=True,
            )
            for a, b in sorted(pairs, key=lambda pair: (pair[0].slug, pair[1].slug))
        ]
        self.create(Comparison, comparisons)
        saved = list(Comparison.objects.filter(slug__in=[c.slug for c in comparisons]))
        self.create(
            ComparisonSection,
            [
                ComparisonSection(comparison=c, criterion=criterion, body=self.paragraph(2))
                for c in saved
                for criterion in self.criteria
            ],
        )
        self.create(
            FAQ,
            [
                FAQ(
                    comparison=c,
                    question=f"Question {n} about {c.title}?",
                    slug=f"{c.slug}-q{n}"[:120],
                    answer=self.paragraph(2),
                    position=n,
                )
                for c in saved
                for n in (1, 2, 3)
            ],
        )
        self.create(
            Reference,
            [
                Reference(comparison=c, title="Demo reference", url=f"https://example.org/{c.slug}")
                for c in saved
            ],
        )

    def guides(self, roles: list[Role]) -> None:
        rng = self.rng
        pairs = {tuple(rng.sample(roles, 2)) for _ in range(len(roles) // 2)}
        guides = []
        for from_role, to_role in sorted(pairs, key=lambda pair: (pair[0].slug, pair[1].slug)):
            low = rng.randint(1, 12)
            guides.append(
                Guide(
                    from_role=from_role,
                    to_role=to_role,
                    slug=guide_slug(from_role.slug, to_role.slug),
                    summary=self.paragraph(2),
                    difficulty=rng.choice(list(Difficulty.values)),
                    months_min=low,
                    months_max=low + rng.randint(0, 12),
                    published=True,
                )
            )
        self.create(Guide, guides)
        saved = list(Guide.objects.filter(slug__in=[p.slug for p in guides]))
        self.create(
            GuideStep,
            [
                GuideStep(guide=p, position=n, title=self.sentence()[:-1], body=self.paragraph(2))
                for p in saved
                for n in range(1, rng.randint(4, 6) + 1)
            ],
        )
        self.create(
            FAQ,
            [
                FAQ(
                    guide=p,
                    question=f"Question {n} about moving {p.slug}?",
                    slug=f"{p.slug}-q{n}"[:120],
                    answer=self.paragraph(2),
                    position=n,
                )
                for p in saved
                for n in (1, 2)
            ],
        )
