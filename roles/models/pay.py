"""Pay and employment from the US Bureau of Labor Statistics' OEWS (Occupational Employment and
Wage Statistics), one row per SOC occupation of a national release, and how a role finds its row.

BLS leaves some figures out: `*` a wage it does not publish, `**` employment it does not publish,
`#` a wage at or above the top of its published range. Each figure is a value and a note, so a
figure left out stays "not published" (never 0) and a `#` keeps BLS's top figure with the note
that the real value is at least that (`Figure`). Editors may override or hide a role's pay
(Role.pay_*); `pay_for` gives every page a role's pay, the editors' figure first, in one query.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, JSONObject, Substr

from roles.models.occupations import OccupationData

SOC_CODE_PATTERN = r"^\d{2}-\d{4}$"
soc_code_validator = RegexValidator(SOC_CODE_PATTERN, "A SOC code looks like 13-1082.")
OEWS_SOURCE = "oews"
# BLS's footnote for `#`: the top of the published range.
TOP_ANNUAL_WAGE = 239_200
TOP_HOURLY_WAGE = "115.00"
MILITARY_MAJOR_GROUP = "55"


class OccupationGroup(models.TextChoices):
    TOTAL = "total", "All occupations"
    MAJOR = "major", "Major group"
    MINOR = "minor", "Minor group"
    BROAD = "broad", "Broad occupation"
    DETAILED = "detailed", "Detailed occupation"


class FigureNote(models.TextChoices):
    """What BLS wrote in a cell instead of (or as well as) a number."""

    PUBLISHED = "", "Published"
    WAGE_NOT_PUBLISHED = "*", "Wage not published"
    EMPLOYMENT_NOT_PUBLISHED = "**", "Employment not published"
    AT_LEAST = "#", "At or above the top of the published range"


NOT_PUBLISHED_NOTES = (FigureNote.WAGE_NOT_PUBLISHED, FigureNote.EMPLOYMENT_NOT_PUBLISHED)


@dataclass(frozen=True)
class Figure:
    """One published figure: `value` is None when BLS left it out; with the note `#` it is the
    top of BLS's range and the real figure is at least that."""

    value: int | None
    note: str = ""

    @property
    def published(self) -> bool:
        return self.value is not None

    @property
    def at_least(self) -> bool:
        return self.note == FigureNote.AT_LEAST


NOT_PUBLISHED = Figure(None, FigureNote.WAGE_NOT_PUBLISHED)


def _note_field(figure: str) -> models.CharField:
    return models.CharField(
        f"{figure} note",
        max_length=2,
        choices=FigureNote,
        blank=True,
        default=FigureNote.PUBLISHED,
    )


def _figure_constraint(field: str) -> models.CheckConstraint:
    """A figure BLS left out has no value; a published one (or a `#`) has one."""
    note = f"{field}_note"
    return models.CheckConstraint(
        condition=(
            Q(**{f"{field}__isnull": False, f"{note}__in": ["", "#"]})
            | Q(**{f"{field}__isnull": True, f"{note}__in": ["*", "**"]})
        ),
        name=f"occupationpay_{field}_note",
    )


PAY_FIGURES = (
    "employment",
    "annual_p10",
    "annual_p25",
    "annual_median",
    "annual_p75",
    "annual_p90",
    "annual_mean",
    "hourly_median",
)


class OccupationPayQuerySet(models.QuerySet):
    def covering(self, onet_codes):
        """The rows that could describe these O*NET-SOC codes: each one's SOC occupation and the
        broad occupation above it (one query, whatever the number of codes)."""
        wanted = set()
        for code in onet_codes:
            wanted.update(candidate_soc_codes(code))
        return self.filter(soc_code__in=sorted(wanted))


class OccupationPay(OccupationData):
    """One SOC occupation's employment and annual wages in one OEWS national release."""

    FIGURES: ClassVar[tuple[str, ...]] = PAY_FIGURES
    # The import's fields, in the order the report lists them.
    imported_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "group",
        *(name for figure in PAY_FIGURES for name in (figure, f"{figure}_note")),
        "annual_only",
        "hourly_only",
    )

    source = models.CharField(
        max_length=10, choices=[(OEWS_SOURCE, "BLS OEWS")], default=OEWS_SOURCE, editable=False
    )
    soc_code = models.CharField(
        "SOC code", max_length=7, unique=True, validators=[soc_code_validator]
    )
    title = models.CharField(max_length=250)
    group = models.CharField(max_length=10, choices=OccupationGroup)
    employment = models.PositiveIntegerField(null=True, blank=True)
    employment_note = _note_field("employment")
    annual_p10 = models.PositiveIntegerField("annual wage, 10th percentile", null=True, blank=True)
    annual_p10_note = _note_field("10th percentile")
    annual_p25 = models.PositiveIntegerField("annual wage, 25th percentile", null=True, blank=True)
    annual_p25_note = _note_field("25th percentile")
    annual_median = models.PositiveIntegerField("median annual wage", null=True, blank=True)
    annual_median_note = _note_field("median")
    annual_p75 = models.PositiveIntegerField("annual wage, 75th percentile", null=True, blank=True)
    annual_p75_note = _note_field("75th percentile")
    annual_p90 = models.PositiveIntegerField("annual wage, 90th percentile", null=True, blank=True)
    annual_p90_note = _note_field("90th percentile")
    annual_mean = models.PositiveIntegerField("mean annual wage", null=True, blank=True)
    annual_mean_note = _note_field("mean")
    hourly_median = models.DecimalField(
        "median hourly wage", max_digits=7, decimal_places=2, null=True, blank=True
    )
    hourly_median_note = _note_field("hourly median")
    annual_only = models.BooleanField(
        default=False, help_text="BLS publishes annual wages only (no hourly figures)."
    )
    hourly_only = models.BooleanField(
        default=False, help_text="BLS publishes hourly wages only (no annual figures)."
    )

    objects = OccupationPayQuerySet.as_manager()

    class Meta:
        ordering = ["soc_code"]
        verbose_name = "occupation pay (OEWS)"
        verbose_name_plural = "occupation pay (OEWS)"
        constraints = [
            models.CheckConstraint(
                condition=Q(soc_code__regex=SOC_CODE_PATTERN), name="occupationpay_soc_code_format"
            ),
            *(_figure_constraint(figure) for figure in PAY_FIGURES),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.soc_code})"

    def figure(self, field: str) -> Figure:
        return Figure(getattr(self, field), getattr(self, f"{field}_note"))


def soc_code_of(onet_code: str) -> str:
    """13-1082.00 -> 13-1082: the SOC occupation an O*NET-SOC code belongs to."""
    return onet_code.split(".", 1)[0]


def broad_code_of(soc_code: str) -> str:
    """29-2011 -> 29-2010: the broad occupation a detailed one belongs to."""
    return soc_code[:-1] + "0"


def candidate_soc_codes(onet_code: str) -> list[str]:
    """The OEWS rows that may describe an O*NET-SOC code, most specific first."""
    soc = soc_code_of(onet_code)
    return list(dict.fromkeys([soc, broad_code_of(soc)]))


@dataclass(frozen=True)
class RolePay:
    """What a page shows of a role's pay: BLS's figures for the occupation that covers the role,
    or the editors' figures, which always win. `occupation` is the OEWS row the figures describe
    (None for the editors' figures or when none is published); `wider` says that row is a wider
    occupation than the role's own O*NET code."""

    median: Figure = NOT_PUBLISHED
    p10: Figure = NOT_PUBLISHED
    p25: Figure = NOT_PUBLISHED
    p75: Figure = NOT_PUBLISHED
    p90: Figure = NOT_PUBLISHED
    employment: Figure = Figure(None, FigureNote.EMPLOYMENT_NOT_PUBLISHED)
    hourly_median: Figure = NOT_PUBLISHED
    occupation: OccupationPay | None = None
    wider: bool = False
    by_editors: bool = False
    hidden: bool = False
    note: str = ""
    military: bool = False

    @property
    def published(self) -> bool:
        """A median to show: the least a page needs to say what the role pays."""
        return self.median.published and not self.hidden

    @property
    def has_range(self) -> bool:
        return self.published and self.p10.published and self.p90.published

    @property
    def release(self) -> str:
        return self.occupation.release if self.occupation else ""

    @property
    def sort_value(self) -> int | None:
        return self.median.value if self.published else None


def role_pay(role, rows: dict[str, OccupationPay]) -> RolePay:
    """One role's pay from the OEWS rows by SOC code (as `pay_for` fetched them)."""
    note = role.pay_note
    if role.pay_hidden:
        return RolePay(hidden=True, note=note)
    if role.pay_median_override is not None:
        p10, p90 = role.pay_p10_override, role.pay_p90_override
        both = p10 is not None and p90 is not None
        return RolePay(
            median=Figure(role.pay_median_override),
            p10=Figure(p10) if both else NOT_PUBLISHED,
            p90=Figure(p90) if both else NOT_PUBLISHED,
            by_editors=True,
            note=note,
        )
    if not role.onet_code:
        return RolePay(note=note)
    if role.onet_code.startswith(f"{MILITARY_MAJOR_GROUP}-"):
        return RolePay(military=True, note=note)
    for soc in candidate_soc_codes(role.onet_code):
        row = rows.get(soc)
        if row is None:
            continue
        return RolePay(
            median=row.figure("annual_median"),
            p10=row.figure("annual_p10"),
            p25=row.figure("annual_p25"),
            p75=row.figure("annual_p75"),
            p90=row.figure("annual_p90"),
            employment=row.figure("employment"),
            hourly_median=row.figure("hourly_median"),
            occupation=row,
            wider=soc != soc_code_of(role.onet_code) or not role.onet_code.endswith(".00"),
            note=note,
        )
    return RolePay(note=note)


# What a page needs of an OEWS row, carried on a role by RoleQuerySet.with_pay().
ROW_FIELDS = (
    "soc_code",
    "title",
    "group",
    "release",
    *(name for figure in PAY_FIGURES for name in (figure, f"{figure}_note")),
    "annual_only",
    "hourly_only",
)


def _covering_rows():
    """The OEWS rows covering an outer role's O*NET code, its own SOC occupation first: the
    broad code (ending in 0) sorts below the detailed ones it holds. (SQLite cannot order a
    subquery by the outer row's columns, so the order is the codes' own.)"""
    code = OuterRef("onet_code")
    soc = Substr(code, 1, 7)
    broad = Concat(Substr(code, 1, 6), Value("0"))
    return OccupationPay.objects.filter(Q(soc_code=soc) | Q(soc_code=broad)).order_by("-soc_code")


def with_pay(queryset, only: Q | None = None):
    """Annotate each role with `oews_pay`, its OEWS row as JSON (None without one), so that
    pay_for() needs no query of its own: a page's roles bring their pay in their own query.
    With `only`, just the roles it matches carry their row (the others None)."""
    row = _covering_rows().values(data=JSONObject(**{name: name for name in ROW_FIELDS}))[:1]
    pay = Subquery(row, output_field=models.JSONField())
    if only is not None:
        pay = Case(When(only, then=pay), default=None, output_field=models.JSONField())
    return queryset.annotate(oews_pay=pay)


def with_pay_order(queryset):
    """Annotate `pay_order`: the median a role's page shows (the editors' first, none when
    hidden), for sorting lists by pay in the database."""
    median = _covering_rows().values("annual_median")[:1]
    return queryset.annotate(
        pay_order=Case(
            When(pay_hidden=True, then=Value(None)),
            default=Coalesce("pay_median_override", Subquery(median)),
            output_field=models.PositiveIntegerField(),
        )
    )


def _row_from_json(data: dict) -> OccupationPay:
    data = dict(data)
    if data.get("hourly_median") is not None:
        data["hourly_median"] = Decimal(str(data["hourly_median"])).quantize(Decimal("0.01"))
    for flag in ("annual_only", "hourly_only"):
        data[flag] = bool(data.get(flag))
    return OccupationPay(**data)


def pay_for(roles) -> dict[int, RolePay]:
    """Every role's pay, by role id. Roles from with_pay() carry their row already; the others
    are looked up together in one query (none when no role has an O*NET code)."""
    roles = list(roles)
    rows: dict[str, OccupationPay] = {}
    missing = []
    for role in roles:
        if "oews_pay" in role.__dict__:
            if role.oews_pay:
                row = _row_from_json(role.oews_pay)
                rows[row.soc_code] = row
        elif role.onet_code:
            missing.append(role.onet_code)
    if missing:
        rows.update({row.soc_code: row for row in OccupationPay.objects.covering(missing)})
    return {role.pk: role_pay(role, _rows_for(role, rows)) for role in roles}


def _rows_for(role, rows: dict[str, OccupationPay]) -> dict[str, OccupationPay]:
    if "oews_pay" in role.__dict__:  # exactly the row the database chose for this role
        data = role.oews_pay
        return {data["soc_code"]: rows[data["soc_code"]]} if data else {}
    return rows
