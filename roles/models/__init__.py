"""The content model: roles described by criteria, comparisons, FAQs, transition guides, and the
reader's bookmarks and step progress. Integrity rules live in the database as named constraints."""

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Greatest, Least
from django.urls import reverse
from django.utils.text import slugify

from roles.markdown import MAX_MARKDOWN_LENGTH, validate_markdown
from roles.models.occupations import (
    ONET_CODE_PATTERN,
    ElementKind,
    JobZone,
    OccupationData,
    OnetElement,
    Provenance,
    RelatednessTier,
    RelatedRole,
    RoleRating,
    RoleTask,
    RoleTechnology,
    RoleTitle,
    Source,
    TaskType,
    TitleKind,
    onet_code_validator,
    rating_of,
    title_key,
)
from roles.models.pay import (
    TOP_ANNUAL_WAGE,
    Figure,
    FigureNote,
    OccupationGroup,
    OccupationPay,
    RolePay,
    pay_for,
    with_pay,
    with_pay_order,
)
from roles.models.readership import PageReads

__all__ = [  # the occupation data and pay, re-exported: `from roles.models import RoleTitle` works
    "ONET_CODE_PATTERN",
    "TOP_ANNUAL_WAGE",
    "ElementKind",
    "Figure",
    "FigureNote",
    "JobZone",
    "OccupationData",
    "OccupationGroup",
    "OccupationPay",
    "OnetElement",
    "PageReads",
    "Provenance",
    "RelatedRole",
    "RelatednessTier",
    "RolePay",
    "RoleRating",
    "RoleTask",
    "RoleTechnology",
    "RoleTitle",
    "Source",
    "TaskType",
    "TitleKind",
    "onet_code_validator",
    "pay_for",
    "rating_of",
    "title_key",
]

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
RESERVED_SLUG_WORDS = ("vs", "to")

slug_validator = RegexValidator(
    SLUG_PATTERN, "Use lowercase letters, digits and single hyphens, e.g. project-manager."
)


def validate_role_slug(value: str) -> None:
    words = value.split("-")
    for word in RESERVED_SLUG_WORDS:
        if word in words:
            raise ValidationError(
                "A role slug cannot contain the word “%(word)s”: "
                "the site's URLs use it to join roles.",
                code="reserved_word",
                params={"word": word},
            )


def _no_reserved_word(field: str, word: str) -> Q:
    """The database side of validate_role_slug: the word alone, first, last or in the middle."""
    return ~(
        Q(**{f"{field}__iexact": word})
        | Q(**{f"{field}__istartswith": f"{word}-"})
        | Q(**{f"{field}__iendswith": f"-{word}"})
        | Q(**{f"{field}__icontains": f"-{word}-"})
    )


class ContentModel(models.Model):
    """What editors keep. Subclassing this is the one step that makes a model content: it gets the
    content-version bump on save and delete, a revision history, the Editors group's permissions,
    a place in content import and export, and (with `search_fields`) a place in search. The
    wiring reads these models from roles/registry.py; tests/test_registry.py checks all of it.
    """

    # Related rows whose changes are part of this model's revisions (django-reversion's follow).
    history_follows: ClassVar[tuple[str, ...]] = ()
    # The text columns of its search document (roles/search.py); () for a model not searched.
    search_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True


# Longest text an editor may save, enforced by model validation, so by the admin and the importer
# alike (a TextField's max_length alone would reach forms only). Generous for editorial prose: the
# starter content's longest Markdown is about 1,150 characters, its longest summary about 230.
# Markdown bodies get MAX_MARKDOWN_LENGTH (10,000), the most the site renders as Markdown.
SHORT_TEXT_LENGTH = 2_000
# A comparison's "At a glance" list: enough to show a real difference, few enough to read first.
MIN_KEY_DIFFERENCES, MAX_KEY_DIFFERENCES = 3, 5


def markdown_field(
    max_length: int = MAX_MARKDOWN_LENGTH, *, shown: str = "", **kwargs
) -> models.TextField:
    """A Markdown text field: at most `max_length` characters, and Markdown the site can show.
    `shown` says what the text is for and where readers see it (the start of its help text)."""
    return models.TextField(
        validators=[MaxLengthValidator(max_length), validate_markdown],
        help_text=(
            f"{shown} Markdown (**bold**, _italic_, [links](https://…), lists), "
            f"up to {max_length:,} characters."
        ).strip(),
        **kwargs,
    )


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# Curated content not reviewed for longer than this is on the admin's attention list.
REVIEW_AFTER_DAYS = 365


class ReviewedModel(models.Model):
    """Curated content whose page tells readers when an editor last checked it."""

    reviewed_on = models.DateField(
        "last reviewed",
        null=True,
        blank=True,
        help_text=(
            "The day an editor last checked this page's facts and links, shown to readers as "
            "“Reviewed <month year>”. The list's action “Mark as reviewed today” sets it."
        ),
    )

    class Meta:
        abstract = True


# The editors' families, as the starter content has them (migration 0010 creates them). Imported
# occupations land in families of their own, one per SOC major group (roles/onet/).
CURATED_FAMILIES = (
    ("sales-client", "Sales & client"),
    ("delivery", "Delivery & projects"),
    ("product", "Product & strategy"),
    ("analysis", "Analysis & consulting"),
    ("operations", "Operations"),
)
DEFAULT_FAMILY = "sales-client"


class Family(ContentModel, TimestampedModel):
    """A group of roles, in the order the catalogue shows them. Curated families are the
    editors'; the O*NET import adds one per SOC major group (`soc_major_group`)."""

    slug = models.SlugField(
        max_length=80,
        unique=True,
        validators=[slug_validator],
        help_text="The family's name in the catalogue's web address (?family=…), up to 80 "
        "characters: lowercase letters, digits and hyphens.",
    )
    name = models.CharField(
        max_length=120,
        unique=True,
        help_text="The heading of the family in the role catalogue, up to 120 characters.",
    )
    position = models.PositiveIntegerField(
        default=0,
        db_index=True,
        help_text="Families are listed in the catalogue by position (lowest first), then name.",
    )
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text="One sentence shown under the family's heading, up to 300 characters.",
    )
    soc_major_group = models.CharField(
        "SOC major group",
        max_length=2,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{2}$", "Two digits, e.g. 13.")],
        help_text=(
            "Imported occupations whose O*NET-SOC code starts with these two digits land in this "
            "family. Leave empty for an editors' family."
        ),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "families"
        constraints = [
            models.CheckConstraint(
                condition=Q(soc_major_group__isnull=True) | Q(soc_major_group__regex=r"^[0-9]{2}$"),
                name="family_soc_major_group_two_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.soc_major_group = self.soc_major_group or None
        super().save(*args, **kwargs)


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MODERATE = "moderate", "Moderate"
    HARD = "hard", "Hard"


# --- Roles and what describes them ---


def is_previewer(user) -> bool:
    """Staff preview drafts on the public pages; everyone else sees published content only."""
    return user is not None and user.is_active and user.is_staff


class PublishableQuerySet(models.QuerySet):
    """Draft and published content: staff preview drafts, everyone else sees published rows.
    Subclasses narrow `published()` where a row also depends on its parents."""

    def published(self):
        return self.filter(published=True)

    def visible_to(self, user):
        if is_previewer(user):
            return self
        return self.published()


def visible_values(previewer: bool):
    """Roles' values with their criteria: of every criterion for a previewer, else of the
    published ones."""
    values = RoleCriterionValue.objects.select_related("criterion")
    return values if previewer else values.filter(criterion__published=True)


def values_prefetch(user=None) -> Prefetch:
    """A role's values for the criteria `user` may see (published ones unless staff)."""
    return Prefetch("criterion_values", queryset=visible_values(is_previewer(user)))


def visible_role_skills(previewer: bool):
    """Roles' skills with the skill: every one for a previewer, else the published skills."""
    skills = RoleSkill.objects.select_related("skill")
    return skills if previewer else skills.filter(skill__published=True)


def skills_prefetch(user=None) -> Prefetch:
    """A role's skills that `user` may see (published ones unless staff)."""
    return Prefetch("role_skills", queryset=visible_role_skills(is_previewer(user)))


class RoleQuerySet(PublishableQuerySet):
    def with_values(self, user=None):
        return self.prefetch_related(values_prefetch(user))

    def with_skills(self, user=None):
        return self.prefetch_related(skills_prefetch(user))

    def first_for(self, slugs: list[str], limit: int):
        """At most `limit` roles: those with these slugs, then others of their families, then
        the rest, each group by name. One query gives a comparison page its roles, the roles it
        may suggest next and, when fewer than `limit` come back, the whole catalogue."""
        chosen = self.filter(slug__in=slugs)
        rank = Case(
            When(slug__in=slugs, then=Value(0)),
            When(family__in=chosen.values("family"), then=Value(1)),
            default=Value(2),
            output_field=models.IntegerField(),
        )
        return self.for_picker().alias(rank=rank).order_by("rank", "name", "slug")[:limit]

    def with_pay(self, only: Q | None = None):
        """Each role's OEWS row in the same query (roles/models/pay.py: pay_for reads it); with
        `only`, just for the roles it matches."""
        return with_pay(self, only)

    def by_pay(self):
        """Highest median pay first (the editors' figure where they gave one), then the roles
        without pay, each by name."""
        return with_pay_order(self).order_by(F("pay_order").desc(nulls_last=True), "name", "pk")

    def for_picker(self):
        """Just what the compare picker and family lists need, in one query."""
        return (
            self.select_related("family")
            .only(
                "slug",
                "name",
                "family__slug",
                "family__name",
                "family__position",
                "summary",
                "alternative_titles",
                "published",
                *PAY_FIELDS,
            )
            .order_by("name", "slug")
        )

    def by_family(self):
        """Families in their order, then names: the catalogue's order, in the database."""
        return self.order_by("family__position", "family__name", "name", "pk")


# What pay_for() reads of a role: lists load these with the rest, so pay costs no query per role.
PAY_FIELDS = (
    "onet_code",
    "pay_median_override",
    "pay_p10_override",
    "pay_p90_override",
    "pay_hidden",
    "pay_note",
)


class Role(ContentModel, Provenance, ReviewedModel, TimestampedModel):
    """A role: an editor's (source "editors") or an O*NET occupation the import created (source
    "onet", its name and description recorded in `imported`). An editor links a curated role to
    an occupation by setting `onet_code`; the import then adds the occupation's data to it and
    never touches the editors' words."""

    history_follows = ("criterion_values", "role_skills")
    search_fields = ("name", "alternative_titles", "summary")

    name = models.CharField(
        max_length=120,
        help_text="The role's title, as the heading of its profile and in every table and "
        "picker, up to 120 characters.",
    )
    slug = models.SlugField(
        max_length=80,
        unique=True,
        validators=[slug_validator, validate_role_slug],
        help_text="The role's web address, /roles/<slug>/, up to 80 characters: lowercase "
        "letters, digits and hyphens, never the word “vs” or “to”. Changing it breaks links.",
    )
    summary = models.CharField(
        max_length=300,
        blank=True,
        help_text="One or two plain sentences under the role's name on its profile, on role "
        "cards and in search results, up to 300 characters.",
    )
    description = markdown_field(
        blank=True, shown="The body of the role's profile, under its summary."
    )
    family = models.ForeignKey(
        Family,
        on_delete=models.PROTECT,
        to_field="slug",
        db_column="family",
        default=DEFAULT_FAMILY,
        related_name="roles",
        help_text="The group the role is listed under in the catalogue and on its profile.",
    )
    alternative_titles = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(SHORT_TEXT_LENGTH)],
        help_text=(
            "Other names for the role, one per line, shown as “Also called” on its profile "
            f"and found by search; up to {SHORT_TEXT_LENGTH:,} characters in all."
        ),
    )
    published = models.BooleanField(
        default=False,
        help_text="Ticked, readers see the role; unticked it is a draft only staff see, with a "
        "“Draft” banner.",
    )
    onet_code = models.CharField(
        "O*NET-SOC code",
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        validators=[onet_code_validator],
        help_text=(
            "The O*NET occupation this role is, e.g. 13-1082.00 for Project Management "
            "Specialists. The O*NET import adds that occupation's titles, tasks, ratings, "
            "technology and preparation to the role, and never changes what editors wrote."
        ),
    )
    job_zone = models.ForeignKey(
        JobZone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roles",
        help_text="The preparation the role needs, from O*NET's Job Zones (1 to 5).",
    )
    # The editors' pay figures win over OEWS's and are labelled as theirs on the pages.
    pay_median_override = models.PositiveIntegerField(
        "median annual pay (editors' figure)",
        null=True,
        blank=True,
        help_text=(
            "In US dollars a year. Leave empty to show the figures from BLS OEWS for the role's "
            "O*NET-SOC code; fill in to show yours instead, labelled as the editors' figure."
        ),
    )
    pay_p10_override = models.PositiveIntegerField(
        "10th percentile (editors' figure)",
        null=True,
        blank=True,
        help_text="With the 90th percentile and the median: the bottom of the range shown.",
    )
    pay_p90_override = models.PositiveIntegerField(
        "90th percentile (editors' figure)",
        null=True,
        blank=True,
        help_text="With the 10th percentile and the median: the top of the range shown.",
    )
    pay_hidden = models.BooleanField(
        "hide pay",
        default=False,
        help_text="Show no pay figures for this role (say why in the note).",
    )
    pay_note = models.CharField(
        "note on pay",
        max_length=300,
        blank=True,
        help_text=(
            "Plain text shown beside the pay figures, e.g. where your figures come from; up "
            "to 300 characters."
        ),
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=_no_reserved_word("slug", "vs") & _no_reserved_word("slug", "to"),
                name="role_slug_no_reserved_words",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="role_slug_not_empty"),
            models.CheckConstraint(
                condition=Q(onet_code__isnull=True) | Q(onet_code__regex=ONET_CODE_PATTERN),
                name="role_onet_code_format",
            ),
            models.CheckConstraint(
                condition=Q(pay_p10_override__isnull=True, pay_p90_override__isnull=True)
                | Q(
                    pay_median_override__isnull=False,
                    pay_p10_override__isnull=False,
                    pay_p90_override__isnull=False,
                ),
                name="role_pay_range_with_median",
                violation_error_message=(
                    "Give the editors' 10th and 90th percentiles together, with a median."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    pay_p10_override__lte=F("pay_median_override"),
                    pay_median_override__lte=F("pay_p90_override"),
                ),
                name="role_pay_range_in_order",
                violation_error_message=(
                    "The editors' figures must run 10th percentile, median, 90th, low to high."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.slug = (self.slug or slugify(self.name)).lower()
        self.onet_code = self.onet_code or None  # unique: "not linked" is NULL, never ""
        self.alternative_titles = "\n".join(self.alternative_title_list)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("roles:role_detail", kwargs={"slug": self.slug})

    @property
    def alternative_title_list(self) -> list[str]:
        return [line.strip() for line in self.alternative_titles.splitlines() if line.strip()]


class CriterionQuerySet(PublishableQuerySet):
    """A draft criterion is left out of public tables; staff see it, marked as a draft."""

    def with_narratives(self, comparison):
        """Annotate `narrative`: the comparison's section on each criterion ("" without one), in
        the same query, so a comparison page needs no query of its own for its sections."""
        if comparison is None:
            return self.annotate(narrative=Value("", output_field=models.TextField()))
        sections = ComparisonSection.objects.filter(
            comparison=comparison, criterion=OuterRef("pk")
        ).values("body")[:1]
        return self.annotate(
            narrative=Coalesce(Subquery(sections), Value(""), output_field=models.TextField())
        )


class Criterion(ContentModel, TimestampedModel):
    name = models.CharField(
        max_length=120,
        help_text="The row heading in every comparison table and on role profiles, up to 120 "
        "characters.",
    )
    slug = models.SlugField(
        max_length=80,
        unique=True,
        validators=[slug_validator],
        help_text="The anchor of the criterion's section on comparison pages (#<slug>), up "
        "to 80 characters: lowercase letters, digits and hyphens.",
    )
    question = models.CharField(
        max_length=300,
        blank=True,
        help_text="The question the criterion answers, e.g. “Who do they work with most?”, "
        "shown under its heading; up to 300 characters, plain text.",
    )
    position = models.PositiveIntegerField(
        default=0,
        db_index=True,
        help_text="Rows of every table are in order of position, lowest first.",
    )
    published = models.BooleanField(
        default=False, help_text="Drafts are left out of public tables; staff still see them."
    )

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.name


class RoleCriterionValue(ContentModel, Provenance, TimestampedModel):
    """A role's value for one criterion: an editor's, or derived from O*NET data by the import
    (docs/DATA.md), which refreshes it only while it still holds what the import wrote."""

    search_fields = ("value",)  # a hit is the role's

    role = models.ForeignKey(
        Role,
        on_delete=models.CASCADE,
        related_name="criterion_values",
        help_text="The role this value describes.",
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.CASCADE,
        related_name="role_values",
        help_text="The row of the comparison table this value fills.",
    )
    value = models.CharField(
        "table cell",
        max_length=200,
        help_text="The short text in the role's cell of comparison tables and on its profile, "
        "up to 200 characters, plain text.",
    )
    detail = markdown_field(
        SHORT_TEXT_LENGTH,
        blank=True,
        shown="A longer explanation shown under the cell's text on the role's profile.",
    )

    class Meta:
        ordering = ["criterion__position", "criterion__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "criterion"], name="rolecriterionvalue_unique_role_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} · {self.criterion}: {self.value}"


class SkillQuerySet(PublishableQuerySet):
    pass


class Skill(ContentModel, TimestampedModel):
    name = models.CharField(
        max_length=120,
        unique=True,
        help_text="The skill as listed on role profiles and in “Skills in common”, up to 120 "
        "characters.",
    )
    slug = models.SlugField(
        max_length=80,
        unique=True,
        validators=[slug_validator],
        help_text="A short unique name for the skill, up to 80 characters: lowercase letters, "
        "digits and hyphens.",
    )
    published = models.BooleanField(
        default=True, help_text="Draft skills are left out of public pages; staff still see them."
    )

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)


class RoleSkill(ContentModel):
    role = models.ForeignKey(
        Role,
        on_delete=models.CASCADE,
        related_name="role_skills",
        help_text="The role that needs the skill.",
    )
    skill = models.ForeignKey(
        Skill,
        on_delete=models.PROTECT,
        related_name="role_skills",
        help_text="A skill listed on the role's profile and compared in “Skills in common”.",
    )
    importance = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (useful) to 5 (essential), shown as “n of 5” on the role's profile.",
    )

    class Meta:
        ordering = ["-importance", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["role", "skill"], name="roleskill_unique_role_skill"),
            models.CheckConstraint(
                condition=Q(importance__gte=1, importance__lte=5),
                name="roleskill_importance_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} · {self.skill} ({self.importance})"


# --- Comparisons ---


class ComparisonQuerySet(PublishableQuerySet):
    def published(self):
        return self.filter(published=True, role_a__published=True, role_b__published=True)

    def for_pair(self, a: Role, b: Role):
        return self.filter(Q(role_a=a, role_b=b) | Q(role_a=b, role_b=a))

    def involving(self, role: Role):
        return self.filter(Q(role_a=role) | Q(role_b=role)).select_related("role_a", "role_b")

    def near(self, ids: list[int]):
        """Comparisons of any of the roles with these ids, those between two of them first, then
        by title."""
        ids = list(ids)
        among = Case(
            When(Q(role_a__in=ids, role_b__in=ids), then=Value(0)),
            default=Value(1),
            output_field=models.IntegerField(),
        )
        return (
            self.filter(Q(role_a__in=ids) | Q(role_b__in=ids))
            .select_related("role_a", "role_b")
            .alias(among=among)
            .order_by("among", "title", "slug")
        )

    def for_page(self):
        return self.select_related("role_a", "role_b").prefetch_related(
            Prefetch("sections", queryset=ComparisonSection.objects.select_related("criterion")),
            Prefetch("faqs", queryset=FAQ.objects.published()),
            Prefetch("references", queryset=Reference.objects.published()),
        )


class Comparison(ContentModel, ReviewedModel, TimestampedModel):
    history_follows = ("sections", "faqs", "references")
    search_fields = ("title", "intro", "verdict")

    role_a = models.ForeignKey(
        Role,
        on_delete=models.PROTECT,
        related_name="comparisons_as_a",
        verbose_name="first role",
        help_text="One of the two roles compared; the page lists them alphabetically.",
    )
    role_b = models.ForeignKey(
        Role,
        on_delete=models.PROTECT,
        related_name="comparisons_as_b",
        verbose_name="second role",
        help_text="The other role; one comparison per pair, whatever the order.",
    )
    slug = models.SlugField(max_length=170, unique=True, editable=False)
    title = models.CharField(
        max_length=200,
        help_text="The page's heading and browser title, up to 200 characters, e.g. "
        "“Account Manager vs Project Manager: 10 key differences”.",
    )
    intro = markdown_field(
        blank=True, shown="The opening paragraphs, under “At a glance” and above the table."
    )
    key_differences = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(SHORT_TEXT_LENGTH)],
        help_text=(
            f"The {MIN_KEY_DIFFERENCES} to {MAX_KEY_DIFFERENCES} differences that matter most, "
            "one short sentence per line, shown first on the page under “At a glance”. "
            f"Plain text, no Markdown, up to {SHORT_TEXT_LENGTH:,} characters. Leave empty to "
            "show the computed summary instead."
        ),
    )
    choose_if = models.CharField(
        "choose if",
        max_length=300,
        blank=True,
        help_text=(
            "One line shown under the differences, e.g. “Choose Account Manager if you like "
            "owning a client's revenue; choose Project Manager if you like driving a plan to a "
            "deadline.” Plain text, up to 300 characters."
        ),
    )
    verdict = markdown_field(
        blank=True,
        shown="“Which suits you?”: the closing advice after the criteria sections. Leave "
        "empty to show the generated verdict.",
    )
    published = models.BooleanField(
        default=False,
        help_text="Ticked (and both roles published), readers see the curated page; until "
        "then they see the generated comparison and staff see this draft with a banner.",
    )

    objects = ComparisonQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role_a=F("role_b")), name="comparison_distinct_roles"
            ),
            models.UniqueConstraint(
                Least("role_a", "role_b"),
                Greatest("role_a", "role_b"),
                name="comparison_unique_pair",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.slug = comparison_slug([self.role_a.slug, self.role_b.slug])
        self.key_differences = "\n".join(self.key_difference_list)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("roles:comparison_detail", kwargs={"slugs": self.slug})

    def clean(self):
        super().clean()
        count = len(self.key_difference_list)
        if count and not MIN_KEY_DIFFERENCES <= count <= MAX_KEY_DIFFERENCES:
            raise ValidationError(
                {
                    "key_differences": (
                        f"Give {MIN_KEY_DIFFERENCES} to {MAX_KEY_DIFFERENCES} key differences, "
                        f"one per line, or none at all; this has {count}."
                    )
                },
                code="key_differences_count",
            )

    @property
    def roles(self) -> list[Role]:
        return sorted([self.role_a, self.role_b], key=lambda role: role.slug)

    @property
    def key_difference_list(self) -> list[str]:
        return [line.strip() for line in self.key_differences.splitlines() if line.strip()]


def comparison_slug(slugs: list[str]) -> str:
    """The canonical name of a set of roles: their slugs in alphabetical order joined by -vs-."""
    return "-vs-".join(sorted(slugs))


class ComparisonSection(ContentModel, TimestampedModel):
    comparison = models.ForeignKey(
        Comparison,
        on_delete=models.CASCADE,
        related_name="sections",
        help_text="The comparison this section belongs to.",
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.CASCADE,
        related_name="comparison_sections",
        help_text="The criterion this section discusses; it is headed by the criterion's name.",
    )
    body = markdown_field(
        shown="The narrative for this criterion, in its section below the table (about "
        "550–800 characters reads well)."
    )

    class Meta:
        ordering = ["criterion__position", "criterion__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["comparison", "criterion"],
                name="comparisonsection_unique_comparison_criterion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.comparison} · {self.criterion}"


# --- Transition guides ---


class GuideQuerySet(PublishableQuerySet):
    def published(self):
        return self.filter(published=True, from_role__published=True, to_role__published=True)

    def involving(self, role: Role):
        return self.filter(Q(from_role=role) | Q(to_role=role)).select_related(
            "from_role", "to_role"
        )

    def among(self, role_ids):
        """Guides from one of these roles (their ids) to another, in either direction."""
        return (
            self.filter(from_role__in=role_ids, to_role__in=role_ids)
            .select_related("from_role", "to_role")
            .order_by("from_role__name", "to_role__name")
        )

    def with_bookmark_for(self, user):
        """Annotate `is_bookmarked` for this reader (False for anonymous readers)."""
        if not user.is_authenticated:
            return self.annotate(is_bookmarked=Value(False))
        return self.annotate(
            is_bookmarked=Exists(Bookmark.objects.filter(user=user, guide=OuterRef("pk")))
        )


class Guide(ContentModel, ReviewedModel, TimestampedModel):
    history_follows = ("steps", "faqs", "references")
    search_fields = ("summary",)

    from_role = models.ForeignKey(
        Role,
        on_delete=models.PROTECT,
        related_name="guides_from",
        verbose_name="from role",
        help_text="The role a reader moves from.",
    )
    to_role = models.ForeignKey(
        Role,
        on_delete=models.PROTECT,
        related_name="guides_to",
        verbose_name="to role",
        help_text="The role a reader moves to (a guide the other way round is another guide).",
    )
    slug = models.SlugField(max_length=170, unique=True, editable=False)
    summary = markdown_field(
        SHORT_TEXT_LENGTH, blank=True, shown="The lead paragraph under the guide's heading."
    )
    difficulty = models.CharField(
        max_length=10,
        choices=Difficulty,
        default=Difficulty.MODERATE,
        help_text="Shown as “Difficulty” beside the typical time.",
    )
    months_min = models.PositiveSmallIntegerField(
        "typical time from (months)",
        default=6,
        help_text="The shortest usual time, shown as “Typical time: 6–12 months”.",
    )
    months_max = models.PositiveSmallIntegerField(
        "typical time to (months)",
        default=12,
        help_text="The longest usual time; at least the shortest.",
    )
    published = models.BooleanField(
        default=False,
        help_text="Ticked (with at least one step), readers see the guide; unticked it is a "
        "draft only staff see, with a banner.",
    )

    objects = GuideQuerySet.as_manager()

    class Meta:
        verbose_name = "transition guide"
        ordering = ["from_role__name", "to_role__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_role=F("to_role")), name="guide_distinct_roles"
            ),
            models.UniqueConstraint(fields=["from_role", "to_role"], name="guide_unique_from_to"),
            models.CheckConstraint(
                condition=Q(months_min__gte=1, months_max__gte=F("months_min")),
                name="guide_months_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_role} to {self.to_role}"

    def save(self, *args, **kwargs):
        self.slug = guide_slug(self.from_role.slug, self.to_role.slug)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("roles:guide_detail", kwargs={"slug": self.slug})


def guide_slug(from_slug: str, to_slug: str) -> str:
    return f"{from_slug}-to-{to_slug}"


class GuideStepQuerySet(models.QuerySet):
    def with_progress_for(self, user):
        """Annotate `is_done` for this reader (False for anonymous readers)."""
        if not user.is_authenticated:
            return self.annotate(is_done=Value(False))
        return self.annotate(
            is_done=Exists(
                StepProgress.objects.filter(user=user, step=OuterRef("pk"), completed=True)
            )
        )


class GuideStep(ContentModel, TimestampedModel):
    guide = models.ForeignKey(
        Guide,
        on_delete=models.CASCADE,
        related_name="steps",
        help_text="The guide this step belongs to.",
    )
    position = models.PositiveSmallIntegerField(
        help_text="The step's number on the guide: steps are shown 1, 2, 3… in this order.",
    )
    title = models.CharField(
        max_length=200,
        help_text="The step's heading, which readers tick off, up to 200 characters.",
    )
    body = markdown_field(blank=True, shown="What to do in this step, under its heading.")

    objects = GuideStepQuerySet.as_manager()

    class Meta:
        verbose_name = "guide step"
        ordering = ["guide", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "position"], name="guidestep_unique_guide_position"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="guidestep_position_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guide} · {self.position}. {self.title}"


# --- FAQs and references (general, or attached to one comparison or one guide) ---


class FAQQuerySet(PublishableQuerySet):
    def visible_to(self, user):
        """The public sees a published FAQ whose comparison or guide (if any) is public too."""
        if is_previewer(user):
            return self
        return self.published().filter(
            Q(comparison__isnull=True) | Q(comparison__in=Comparison.objects.published()),
            Q(guide__isnull=True) | Q(guide__in=Guide.objects.published()),
        )

    def for_list(self):
        return self.select_related(
            "comparison__role_a",
            "comparison__role_b",
            "guide__from_role",
            "guide__to_role",
        )

    def by_topic(self):
        """The FAQ page's order: comparison topics, then guide topics, then general questions;
        within each, by topic title (a guide's is "From A to B"), then position and question."""
        kind = Case(
            When(comparison__isnull=False, then=Value(0)),
            When(guide__isnull=False, then=Value(1)),
            default=Value(2),
        )
        title = Case(
            When(comparison__isnull=False, then=F("comparison__title")),
            When(
                guide__isnull=False,
                then=Concat(
                    Value("From "),
                    F("guide__from_role__name"),
                    Value(" to "),
                    F("guide__to_role__name"),
                ),
            ),
            default=Value(""),
            output_field=models.CharField(),
        )
        # The topic's id after its title keeps two topics with one title from interleaving.
        return self.alias(topic_kind=kind, topic_title=title).order_by(
            "topic_kind",
            "topic_title",
            "comparison_id",
            "guide_id",
            "position",
            "question",
            "pk",
        )


class FAQ(ContentModel, ReviewedModel, TimestampedModel):
    history_follows = ("comparison", "guide")  # an FAQ edited alone is its topic's revision
    search_fields = ("question", "answer")

    question = models.CharField(
        max_length=300,
        help_text="The question as readers ask it, the heading of its answer and of its own "
        "page, up to 300 characters.",
    )
    slug = models.SlugField(
        max_length=120,
        unique=True,
        validators=[slug_validator],
        help_text="The question's web address, /faq/<slug>/, up to 120 characters: lowercase "
        "letters, digits and hyphens.",
    )
    answer = markdown_field(
        shown="The answer, under the question on its topic's page, the FAQ page and its own."
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Questions of one topic are listed by position, lowest first."
    )
    comparison = models.ForeignKey(
        Comparison,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="faqs",
        help_text="Show the question on this comparison's page (or choose a guide, or neither "
        "for a general question).",
    )
    guide = models.ForeignKey(
        Guide,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="faqs",
        verbose_name="transition guide",
        help_text="Show the question on this guide's page.",
    )
    published = models.BooleanField(
        default=True, help_text="Unticked, the question is a draft that readers do not see."
    )

    objects = FAQQuerySet.as_manager()

    class Meta:
        ordering = ["position", "question"]
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"
        constraints = [
            models.CheckConstraint(
                condition=Q(comparison__isnull=True) | Q(guide__isnull=True),
                name="faq_at_most_one_topic",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.question)[:120].strip("-")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("roles:faq_detail", kwargs={"slug": self.slug})


class ReferenceQuerySet(PublishableQuerySet):
    def broken(self):
        """References whose link failed its last check."""
        return self.filter(link_ok=False)


class Reference(ContentModel, TimestampedModel):
    history_follows = ("comparison", "guide")

    title = models.CharField(
        max_length=200,
        help_text="The link's text in the page's References list, up to 200 characters.",
    )
    url = models.URLField(
        "web address",
        max_length=500,
        help_text="Where the link goes, starting https:// (or http://), up to 500 characters.",
    )
    position = models.PositiveIntegerField(
        default=0, help_text="References are listed by position, lowest first."
    )
    comparison = models.ForeignKey(
        Comparison,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="references",
        help_text="List it on this comparison's page (or choose a guide).",
    )
    guide = models.ForeignKey(
        Guide,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="references",
        verbose_name="transition guide",
        help_text="List it on this guide's page.",
    )
    published = models.BooleanField(default=True, help_text="Draft references are not listed.")
    # The last run of `manage.py check_links` (roles/links.py), never a web request's.
    link_checked_at = models.DateTimeField("link last checked", null=True, editable=False)
    link_ok = models.BooleanField("link works", null=True, editable=False)
    link_status = models.PositiveSmallIntegerField("HTTP status", null=True, editable=False)
    link_final_url = models.URLField("redirected to", max_length=2000, blank=True, editable=False)
    link_error = models.CharField("link problem", max_length=300, blank=True, editable=False)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(comparison__isnull=True) | Q(guide__isnull=True),
                name="reference_at_most_one_topic",
            ),
            models.CheckConstraint(
                condition=Q(url__istartswith="http://") | Q(url__istartswith="https://"),
                name="reference_url_http",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --- The reader's own state ---


class BookmarkQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def for_list(self, user):
        """The reader's visible bookmarks, newest first: guides with their step counts, plans
        and comparisons with their roles (roles/views/guides.py bookmark_list reads the rest)."""
        steps = (
            GuideStep.objects.filter(guide=OuterRef("guide"))
            .order_by()
            .values("guide")
            .annotate(n=Count("pk"))
            .values("n")
        )
        done = (
            StepProgress.objects.filter(user=user, completed=True, step__guide=OuterRef("guide"))
            .order_by()
            .values("step__guide")
            .annotate(n=Count("pk"))
            .values("n")
        )
        open_steps = (
            GuideStep.objects.filter(guide=OuterRef("guide"))
            .exclude(progress__in=StepProgress.objects.filter(user=user, completed=True))
            .order_by("position")
            .values("position")
        )
        roles = Role.objects.visible_to(user)
        return (
            self.for_user(user)
            .filter(
                Q(guide__in=Guide.objects.visible_to(user))
                | Q(kind=BookmarkKind.PLAN, from_role__in=roles, to_role__in=roles)
                | Q(kind=BookmarkKind.COMPARISON)
            )
            .select_related("guide__from_role", "guide__to_role", "from_role", "to_role")
            .annotate(
                step_count=Coalesce(Subquery(steps), 0),
                done_count=Coalesce(Subquery(done), 0),
                next_position=Subquery(open_steps[:1]),
            )
            .order_by("-created_at", "-pk")
        )


class BookmarkKind(models.TextChoices):
    GUIDE = "guide", "Guide"
    PLAN = "plan", "Generated plan"
    COMPARISON = "comparison", "Comparison"


class Bookmark(models.Model):
    """What a reader keeps: a curated guide, a generated plan (a pair of roles) or a
    comparison (its canonical slug, `a-vs-b`, curated or generated: the URL is the contract)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    kind = models.CharField(max_length=10, choices=BookmarkKind, default=BookmarkKind.GUIDE)
    guide = models.ForeignKey(
        Guide, on_delete=models.CASCADE, null=True, blank=True, related_name="bookmarks"
    )
    from_role = models.ForeignKey(
        Role, on_delete=models.CASCADE, null=True, blank=True, related_name="plan_bookmarks_from"
    )
    to_role = models.ForeignKey(
        Role, on_delete=models.CASCADE, null=True, blank=True, related_name="plan_bookmarks_to"
    )
    comparison = models.CharField(max_length=330, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BookmarkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "guide"], name="bookmark_unique_user_guide"),
            models.UniqueConstraint(
                fields=["user", "from_role", "to_role"], name="bookmark_unique_user_plan"
            ),
            models.UniqueConstraint(
                fields=["user", "comparison"],
                condition=~Q(comparison=""),
                name="bookmark_unique_user_comparison",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=BookmarkKind.GUIDE,
                        guide__isnull=False,
                        from_role__isnull=True,
                        to_role__isnull=True,
                        comparison="",
                    )
                    | Q(
                        kind=BookmarkKind.PLAN,
                        guide__isnull=True,
                        from_role__isnull=False,
                        to_role__isnull=False,
                        comparison="",
                    )
                    | (
                        Q(
                            kind=BookmarkKind.COMPARISON,
                            guide__isnull=True,
                            from_role__isnull=True,
                            to_role__isnull=True,
                        )
                        & ~Q(comparison="")
                    )
                ),
                name="bookmark_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(from_role=F("to_role")), name="bookmark_plan_distinct_roles"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.title}"

    def get_absolute_url(self) -> str:
        if self.kind == BookmarkKind.PLAN:
            slug = guide_slug(self.from_role.slug, self.to_role.slug)
            return reverse("roles:guide_detail", kwargs={"slug": slug})
        if self.kind == BookmarkKind.COMPARISON:
            return reverse("roles:comparison_detail", kwargs={"slugs": self.comparison})
        return self.guide.get_absolute_url()

    @property
    def title(self) -> str:
        if self.kind == BookmarkKind.PLAN:
            return f"{self.from_role} to {self.to_role}"
        if self.kind == BookmarkKind.COMPARISON:
            return self.comparison
        return str(self.guide)


class StepProgress(models.Model):
    """A reader's tick on a step: a guide's step, or on a generated plan a skill to build,
    kept by the pair of roles and the skill's key (roles/plans.py step_key), so that it
    survives a re-import that reorders the plan."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="step_progress"
    )
    step = models.ForeignKey(
        GuideStep, on_delete=models.CASCADE, null=True, blank=True, related_name="progress"
    )
    from_role = models.ForeignKey(
        Role, on_delete=models.CASCADE, null=True, blank=True, related_name="plan_progress_from"
    )
    to_role = models.ForeignKey(
        Role, on_delete=models.CASCADE, null=True, blank=True, related_name="plan_progress_to"
    )
    skill_key = models.CharField(max_length=120, blank=True)
    completed = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "step progress"
        constraints = [
            models.UniqueConstraint(fields=["user", "step"], name="stepprogress_unique_user_step"),
            models.UniqueConstraint(
                fields=["user", "from_role", "to_role", "skill_key"],
                name="stepprogress_unique_user_plan_skill",
            ),
            models.CheckConstraint(
                condition=Q(
                    step__isnull=False, from_role__isnull=True, to_role__isnull=True, skill_key=""
                )
                | (
                    Q(step__isnull=True, from_role__isnull=False, to_role__isnull=False)
                    & ~Q(skill_key="")
                ),
                name="stepprogress_one_target",
            ),
        ]

    def __str__(self) -> str:
        what = (
            self.step if self.step_id else f"{self.from_role} to {self.to_role}: {self.skill_key}"
        )
        return f"{self.user} · {what}: {'done' if self.completed else 'to do'}"
