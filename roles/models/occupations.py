"""Occupation data: what the O*NET import brings to a role (docs/DATA.md says how each value is
derived), under the editors' words.

Every imported value records its source and release (`Provenance`). An import refreshes a value
only while it still holds what an import wrote there, so an editor's value always wins: the rule
the starter content follows too. O*NET's skills and knowledge areas (`OnetElement`) are a
vocabulary of their own, kept apart from the editors' skills (`Skill`), even where a name is in
both.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

ONET_CODE_PATTERN = r"^\d{2}-\d{4}\.\d{2}$"
onet_code_validator = RegexValidator(
    ONET_CODE_PATTERN, "An O*NET-SOC code looks like 13-1082.00: two digits, four, then two."
)


class Source(models.TextChoices):
    EDITORS = "editors", "CareerGuide editors"
    ONET = "onet", "O*NET"


class Provenance(models.Model):
    """Who set a row's values, from which release, and what the import last wrote there.

    `imported` maps each field an import set to the value it wrote. A field still "comes from
    O*NET" while it holds that value; once an editor changes it, it is theirs, whatever `source`
    says, and no import touches it again (`holds_import`).
    """

    # Set by imports, not typed: the admin shows them read-only.
    source = models.CharField(max_length=10, choices=Source, default=Source.EDITORS, editable=False)
    release = models.CharField(
        max_length=40,
        blank=True,
        editable=False,
        help_text="The data release the values come from, e.g. 30.1.",
    )
    imported = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    def holds_import(self, field: str) -> bool:
        """True while `field` holds what an import wrote: a newer import may refresh it."""
        return field in self.imported and _same(getattr(self, field), self.imported[field])

    @property
    def from_import(self) -> bool:
        """Every imported field still holds its imported value (and some import wrote one)."""
        return bool(self.imported) and all(self.holds_import(field) for field in self.imported)


def _same(value, imported) -> bool:
    """Imports record values as JSON: decimals as text ("4.50"), the rest as themselves."""
    if value is None or imported is None:
        return value is imported
    return str(value) == str(imported)


class OccupationData(Provenance):
    """A row only an import creates (an occupation's titles, tasks, ratings, technology, related
    occupations, Job Zones and O*NET's vocabulary). Editors may view and correct these rows in
    the admin; content import and export leave them out: the release is their source."""

    class Meta:
        abstract = True


class JobZone(OccupationData):
    """O*NET's five levels of preparation, from Job Zone Reference.txt."""

    number = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    name = models.CharField(max_length=200)
    experience = models.TextField(blank=True)
    education = models.TextField(blank=True)
    training = models.TextField(blank=True)
    examples = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = "Job Zone"
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=5), name="jobzone_number_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"Job Zone {self.number}: {self.name}"


class ElementKind(models.TextChoices):
    SKILL = "skill", "Skill"
    KNOWLEDGE = "knowledge", "Knowledge"


class OnetElement(OccupationData):
    """One of O*NET's 35 skills or 33 knowledge areas (`2.A.1.b` Active Listening)."""

    element_id = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=10, choices=ElementKind)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "O*NET skill or knowledge area"

    def __str__(self) -> str:
        return self.name


class RoleRating(OccupationData):
    """How important an O*NET skill or knowledge area is to a role (the `IM` scale, 1 to 5), and
    the level it needs (`LV`, 0 to 7) where published."""

    imported_fields: ClassVar[tuple[str, ...]] = ("importance", "level")

    role = models.ForeignKey("roles.Role", on_delete=models.CASCADE, related_name="ratings")
    element = models.ForeignKey(OnetElement, on_delete=models.CASCADE, related_name="ratings")
    importance = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="O*NET's importance, 1.00 (not important) to 5.00 (extremely important).",
    )
    level = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(7)],
        help_text="O*NET's level, 0 to 7, where published.",
    )

    class Meta:
        ordering = ["-importance", "element__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "element"], name="rolerating_unique_role_element"
            ),
            models.CheckConstraint(
                condition=Q(importance__gte=1, importance__lte=5),
                name="rolerating_importance_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role_id} · {self.element} ({self.importance})"

    @property
    def rating(self) -> int:
        """The 1 to 5 rating the comparison pages show, rounded half up."""
        return rating_of(self.importance)


def rating_of(importance) -> int:
    """An O*NET importance (1.00 to 5.00) as the 1 to 5 rating the pages show, rounded half up."""
    whole = Decimal(str(importance)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(1, min(5, int(whole)))


class TitleKind(models.TextChoices):
    ALTERNATE = "alternate", "Alternate title"
    REPORTED = "reported", "Reported job title"


class RoleTitle(OccupationData):
    """Another name an occupation goes by: O*NET's alternate titles (about 56,500) and sample of
    reported titles. `key` is the title as search and the pickers match it (casefolded, single
    spaces), indexed."""

    role = models.ForeignKey("roles.Role", on_delete=models.CASCADE, related_name="titles")
    title = models.CharField(max_length=250)
    short_title = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=10, choices=TitleKind, default=TitleKind.ALTERNATE)
    key = models.CharField(max_length=250, db_index=True, editable=False)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "kind", "key"], name="roletitle_unique_role_kind_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.key = title_key(self.title)
        super().save(*args, **kwargs)


def title_key(text: str) -> str:
    """What counts when matching a title: neither case nor extra spaces do."""
    return " ".join(text.split()).casefold()


class TaskType(models.TextChoices):
    CORE = "core", "Core"
    SUPPLEMENTAL = "supplemental", "Supplemental"
    UNRATED = "", "Not rated"


class RoleTask(OccupationData):
    """A task statement from O*NET's Task Statements.txt."""

    imported_fields: ClassVar[tuple[str, ...]] = ("statement", "task_type")

    role = models.ForeignKey("roles.Role", on_delete=models.CASCADE, related_name="tasks")
    task_id = models.PositiveIntegerField(help_text="O*NET's Task ID.")
    statement = models.TextField(max_length=1000)
    task_type = models.CharField(max_length=12, choices=TaskType, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "task_id"]
        constraints = [
            models.UniqueConstraint(fields=["role", "task_id"], name="roletask_unique_role_task"),
        ]

    def __str__(self) -> str:
        return self.statement[:80]


class RoleTechnology(OccupationData):
    """Software named in job postings for the occupation (Technology Skills.txt)."""

    role = models.ForeignKey("roles.Role", on_delete=models.CASCADE, related_name="technologies")
    example = models.CharField(max_length=250)
    commodity_title = models.CharField(max_length=250, blank=True)
    hot = models.BooleanField(default=False, help_text="A hot technology, per O*NET.")
    in_demand = models.BooleanField(default=False, help_text="In demand in job postings.")

    class Meta:
        verbose_name_plural = "role technologies"
        ordering = ["-hot", "-in_demand", "example"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "example"], name="roletechnology_unique_role_example"
            ),
        ]

    def __str__(self) -> str:
        return self.example


class RelatednessTier(models.TextChoices):
    PRIMARY_SHORT = "primary-short", "Primary-Short"
    PRIMARY_LONG = "primary-long", "Primary-Long"
    SUPPLEMENTAL = "supplemental", "Supplemental"


class RelatedRole(OccupationData):
    """An occupation O*NET lists as related to another, with its tier and rank (1 to 20)."""

    role = models.ForeignKey("roles.Role", on_delete=models.CASCADE, related_name="related_to")
    related = models.ForeignKey("roles.Role", on_delete=models.CASCADE, related_name="related_from")
    tier = models.CharField(max_length=15, choices=RelatednessTier)
    index = models.PositiveSmallIntegerField(help_text="O*NET's rank, 1 (closest) to 20.")

    class Meta:
        ordering = ["index"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "related"], name="relatedrole_unique_role_related"
            ),
            models.CheckConstraint(
                condition=~Q(role=F("related")), name="relatedrole_distinct_roles"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role_id} → {self.related_id} ({self.tier})"
