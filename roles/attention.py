"""What needs an editor's attention, for the admin index: each kind of item, its first few rows
linked to where they are fixed, and how many there are in all."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.text import capfirst

from roles.models import (
    FAQ,
    REVIEW_AFTER_DAYS,
    Comparison,
    Criterion,
    Guide,
    PageReads,
    Reference,
    Role,
    RoleCriterionValue,
    Source,
)

SHOWN = 8  # rows of each kind; the count and a link to the filtered list say the rest
READ_WINDOW_DAYS = 30


@dataclass
class Item:
    label: str
    url: str
    note: str = ""


@dataclass
class Kind:
    slug: str
    title: str
    items: list[Item] = field(default_factory=list)
    total: int = 0
    more_url: str = ""


def _change_url(obj) -> str:
    return reverse(f"admin:roles_{obj._meta.model_name}_change", args=[obj.pk])


def _list_url(model, query: str = "") -> str:
    url = reverse(f"admin:roles_{model._meta.model_name}_changelist")
    return f"{url}?{query}" if query else url


def _kind(slug, title, queryset, *, note=None, more_url="") -> Kind:
    rows = list(queryset[: SHOWN + 1])
    total = len(rows) if len(rows) <= SHOWN else queryset.count()
    items = [Item(str(row), _change_url(row), note(row) if note else "") for row in rows[:SHOWN]]
    return Kind(slug, title, items, total, more_url)


def drafts() -> list[Kind]:
    kinds = []
    for model, select in (
        (Comparison, ()),
        (Guide, ("from_role", "to_role")),
        (Role, ()),
        (FAQ, ()),
    ):
        name = model._meta.verbose_name_plural
        queryset = model.objects.filter(published=False).order_by("-updated_at")
        kinds.append(
            _kind(
                f"draft-{model._meta.model_name}",
                f"Draft {name}",
                queryset.select_related(*select) if select else queryset,
                more_url=_list_url(model, "published__exact=0"),
            )
        )
    return kinds


def roles_missing_values() -> Kind:
    published = Criterion.objects.published()
    wanted = published.count()
    have = (
        RoleCriterionValue.objects.filter(role=OuterRef("pk"), criterion__published=True)
        .order_by()
        .values("role")
        .annotate(n=Count("pk"))
        .values("n")
    )
    roles = (
        Role.objects.published()
        .annotate(value_count=Coalesce(Subquery(have), 0))
        .filter(value_count__lt=wanted)
        .order_by("value_count", "name")
    )
    return _kind(
        "missing-values",
        "Published roles missing values for published criteria",
        roles,
        note=lambda role: f"{wanted - role.value_count} of {wanted} missing",
        more_url=_list_url(Role, "published__exact=1"),
    )


def comparisons_missing_parts() -> Kind:
    comparisons = Comparison.objects.filter(Q(key_differences="") | Q(verdict="")).order_by("title")

    def note(comparison) -> str:
        missing = [
            part
            for part, text in (
                ("key differences", comparison.key_differences),
                ("verdict", comparison.verdict),
            )
            if not text
        ]
        return "no " + " and no ".join(missing)

    return _kind(
        "incomplete-comparisons",
        "Curated comparisons missing key differences or a verdict",
        comparisons,
        note=note,
        more_url=_list_url(Comparison),
    )


def broken_links() -> Kind:
    return _kind(
        "broken-links",
        "References whose link failed the last check",
        Reference.objects.broken().order_by("title"),
        note=lambda ref: ref.link_error or f"HTTP {ref.link_status}",
        more_url=_list_url(Reference, "link=broken"),
    )


def stale_content(today: datetime.date) -> list[Kind]:
    """Curated content last reviewed more than REVIEW_AFTER_DAYS ago, or never reviewed and
    older than that."""
    cutoff = today - datetime.timedelta(days=REVIEW_AFTER_DAYS)
    stale = Q(reviewed_on__lt=cutoff) | Q(reviewed_on__isnull=True, created_at__date__lt=cutoff)
    kinds = []
    for model, only in (
        (Comparison, Q()),
        (Guide, Q()),
        (Role, Q(source=Source.EDITORS)),
        (FAQ, Q()),
    ):
        queryset = model.objects.filter(stale, only).order_by(
            Coalesce("reviewed_on", "created_at__date").asc(), "pk"
        )
        if model is Guide:
            queryset = queryset.select_related("from_role", "to_role")
        kinds.append(
            _kind(
                f"stale-{model._meta.model_name}",
                f"{capfirst(model._meta.verbose_name_plural)} not reviewed for over 12 months",
                queryset,
                note=lambda obj: (
                    f"last reviewed {obj.reviewed_on:%B %Y}"
                    if obj.reviewed_on
                    else "never reviewed"
                ),
                more_url=_list_url(model, f"reviewed_on__lt={cutoff.isoformat()}"),
            )
        )
    return kinds


def most_read_uncurated(today: datetime.date) -> Kind:
    """The generated comparisons and plans read most in the last READ_WINDOW_DAYS days that have
    no curated comparison or guide yet: where a narrative would reach most readers."""
    since = today - datetime.timedelta(days=READ_WINDOW_DAYS)
    top = (
        PageReads.objects.filter(day__gte=since)
        .values("url_name", "path")
        .annotate(total=Sum("reads"))
        .order_by("-total", "path")
    )
    curated_comparisons = set(Comparison.objects.values_list("slug", flat=True))
    curated_guides = set(Guide.objects.values_list("slug", flat=True))
    found = []
    # Curated pages are skipped here rather than in SQL: a few hundred rows at most are read.
    for row in top[:500]:
        try:
            match = resolve(row["path"])
        except Resolver404:
            continue
        if match.view_name == "roles:comparison_detail":
            slug, joiner = match.kwargs["slugs"], "-vs-"
            if slug in curated_comparisons:
                continue
        elif match.view_name == "roles:guide_detail":
            slug, joiner = match.kwargs["slug"], "-to-"
            if slug in curated_guides:
                continue
        else:
            continue
        found.append((row, match.view_name, slug.split(joiner)))
        if len(found) == SHOWN:
            break
    names = dict(
        Role.objects.filter(slug__in={s for _, _, slugs in found for s in slugs}).values_list(
            "slug", "name"
        )
    )
    items = []
    for row, view_name, slugs in found:
        labels = [names.get(slug, slug) for slug in slugs]
        if view_name == "roles:comparison_detail":
            label = " vs ".join(labels) + " (generated comparison)"
        else:
            label = " to ".join(labels) + " (generated plan)"
        reads = f"{row['total']:,} read{'' if row['total'] == 1 else 's'}"
        items.append(Item(label, row["path"], f"{reads} in the last {READ_WINDOW_DAYS} days"))
    return Kind(
        "most-read",
        "Most-read generated comparisons and plans without a curated narrative",
        items,
        len(items),
    )


def attention_list(today: datetime.date | None = None) -> list[Kind]:
    today = today or timezone.localdate()
    return [
        most_read_uncurated(today),
        *drafts(),
        roles_missing_values(),
        comparisons_missing_parts(),
        broken_links(),
        *stale_content(today),
    ]
