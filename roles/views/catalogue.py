"""Home, the role catalogue and profiles, the compare picker and comparisons."""

from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby, islice
from operator import attrgetter
from types import SimpleNamespace as Row

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404, HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from roles.comparing import (
    comparison_onet_credit,
    comparison_rows,
    onet_credit,
    related_comparisons,
    skill_overlap,
    split_rows,
)
from roles.forms import (
    COMPARE_FIELDS,
    PICKER_SELECT_MAX,
    CompareForm,
    MovePickerForm,
    RoleListForm,
)
from roles.models import (
    FAQ,
    Bookmark,
    Comparison,
    Criterion,
    ElementKind,
    Family,
    Guide,
    Reference,
    RelatednessTier,
    RelatedRole,
    Role,
    RoleRating,
    RoleTask,
    RoleTechnology,
    RoleTitle,
    Source,
    TaskType,
    TitleKind,
    comparison_slug,
    is_previewer,
    pay_for,
    rating_of,
    skills_prefetch,
    title_key,
    visible_role_skills,
    visible_values,
)
from roles.moves import TOP_MOVES, move_rows, moves_from
from roles.pagination import paginate
from roles.picker import picker_roles
from roles.prepared import Prepared, PreparedModels

MAX_COMPARED_ROLES = 4
SIMILAR_ROLES = 8  # same-family comparisons offered on a profile
RELATED_COMPARISONS = 6  # offered at the end of a comparison
ROLES_PER_PAGE = 60

# A role's O*NET skill ratings (not its knowledge areas) with their skill: the overlap's other
# vocabulary.
SKILL_RATINGS = Prefetch(
    "ratings",
    queryset=RoleRating.objects.filter(element__kind=ElementKind.SKILL).select_related("element"),
    to_attr="skill_ratings",
)


def _has_skill_ratings(slugs: list[str]) -> Case:
    """True for a role with these slugs that has O*NET skill ratings (False for the rest, so
    the catalogue around a comparison costs no subquery per row)."""
    return Case(
        When(
            slug__in=slugs,
            then=Exists(
                RoleRating.objects.filter(role=OuterRef("pk"), element__kind=ElementKind.SKILL)
            ),
        ),
        default=Value(False),
        output_field=BooleanField(),
    )


def families_of(roles: list[Role]) -> list[tuple[Family, list[Role]]]:
    """Roles grouped by family (selected with them), families in their order, roles by name."""
    ordered = sorted(
        roles, key=lambda role: (role.family.position, role.family.name, role.family_id, role.name)
    )
    return [(family, list(group)) for family, group in groupby(ordered, attrgetter("family"))]


@require_safe
def home(request):
    """The front page. roles/home.html gets `comparisons` (up to six, published first), `guides`
    (the six newest), `families` (visible roles grouped by family), `compare_form` and
    `move_form` ("I am a … → show my options")."""
    roles = picker_roles(request.user)
    comparisons = (
        Comparison.objects.visible_to(request.user)
        .select_related("role_a", "role_b")
        .order_by("-published", "title")[:6]
    )
    guides = (
        Guide.objects.visible_to(request.user)
        .select_related("from_role", "to_role")
        .order_by("-created_at", "slug")[:6]
    )
    return render(
        request,
        "roles/home.html",
        {
            "comparisons": comparisons,
            "guides": guides,
            "families": families_of(roles),
            "compare_form": CompareForm(roles=roles),
            "move_form": MovePickerForm(roles=roles, own_datalist=False),
        },
    )


# --- Roles ---


ROLE_SORTS = {"": "By family", "pay": "Highest median pay first"}
JOB_ZONES = (1, 2, 3, 4, 5)


def _families_counted(user, zone: int | None) -> dict[str, Family]:
    """Every family by slug, in the catalogue's order, each with `role_count` (the roles `user`
    may see in it, in Job Zone `zone` if given) and `zone_<n>` (those in Job Zone n): counted
    from the picker's roles, which the public's pages keep in memory (roles/picker.py)."""
    roles = picker_roles(user)
    # The public's kept list carries its lookups (`shared`, roles/picker.py): the counts are
    # counted once per list and Job Zone, not on every request (a thousand roles each time).
    shared = getattr(roles, "shared", {})
    counted = shared.get(("family counts", zone))
    if counted is None:
        counts: Counter = Counter()
        per_zone: Counter = Counter()
        for role in roles:
            if zone is None or role.move_zone == zone:
                counts[role.family_id] += 1
            per_zone[role.family_id, role.move_zone] += 1
        counted = shared[("family counts", zone)] = (counts, per_zone)
    counts, per_zone = counted
    by_slug = {}
    for family in Family.objects.order_by("position", "name"):
        family.role_count = counts[family.slug]
        for number in JOB_ZONES:
            setattr(family, f"zone_{number}", per_zone[family.slug, number])
        by_slug[family.slug] = family
    return by_slug


@require_safe
def role_list(request):
    """Roles grouped under family headings (or by median pay, ?sort=pay), a page at a time,
    optionally of one family and one Job Zone (?zone=1 to 5); the filter counts come from the
    picker's roles, kept in memory for the public (_families_counted), and the page of roles is
    one query of its own.

    roles/role_list.html gets `families` (this page's roles as (Family, roles); one group under
    None when sorted by pay), `all_families` ((Family, count) for the filter), `selected` (a
    Family or None), `zones` ((number, count) for the zones some role has), `zone`, `sort`,
    `sorts` ((value, label)), `keep` (zone and sort as a query string, for the family links),
    `form` (find a role in the list, ?q=), `query`, `error`, `page`, `role_count`,
    `canonical_url` and `breadcrumbs`. Each role on the page carries its `pay` (a RolePay).
    An unknown family, zone or sort answers 400 with every role; text too long to look for,
    400 with the list.
    """
    visible = Role.objects.visible_to(request.user)
    form = RoleListForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    selected = request.GET.get("family", "")
    zone = request.GET.get("zone", "")
    sort = request.GET.get("sort", "")
    status = 200
    error = ""
    if zone and zone not in {str(number) for number in JOB_ZONES}:
        status, error = 400, "Job Zones run from 1 to 5. Showing every role."
        zone = ""
    if sort not in ROLE_SORTS:
        status, error = 400, "Roles can be sorted by family or by pay. Showing them by family."
        sort = ""
    zoned = visible.filter(job_zone__number=int(zone)) if zone else visible
    by_slug = _families_counted(request.user, int(zone) if zone else None)
    all_families = [(family, family.role_count) for family in by_slug.values() if family.role_count]
    if selected and selected not in by_slug:
        status, error = 400, "There is no role family by that name. Showing every role."
        selected = ""
    if not form.is_valid():
        status, error = 400, " ".join(form.errors.get("q", ["That cannot be looked for."]))
    counted = [by_slug[selected]] if selected else list(by_slug.values())
    zones = [
        (number, total)
        for number in JOB_ZONES
        if (total := sum(getattr(family, f"zone_{number}") for family in counted))
    ]
    visible = zoned
    if selected:
        visible = visible.filter(family=selected)
    count = by_slug[selected].role_count if selected else sum(n for _f, n in all_families)
    if query:
        # Names and other titles (the editors' and O*NET's), case and spacing aside: a bounded
        # scan of one indexed column, paginated like the rest of the list.
        key = title_key(query)
        visible = visible.filter(
            Q(name__icontains=query)
            | Q(alternative_titles__icontains=query)
            | Q(pk__in=RoleTitle.objects.filter(key__contains=key).values("role"))
        )
        count = None  # the paginator counts the matches
    listed = visible.for_picker().with_pay()
    page = paginate(
        request,
        listed.by_pay() if sort else listed.by_family(),
        ROLES_PER_PAGE,
        params={"family": selected, "zone": zone, "sort": sort, "q": query},
        count=count,
    )
    roles = list(page)
    pays = pay_for(roles)
    for role in roles:
        role.pay = pays[role.pk]
    if sort:
        families = [(None, roles)] if roles else []
    else:
        families = [
            (by_slug[key], list(group))
            for key, group in groupby(roles, key=attrgetter("family_id"))
        ]
    keep = QueryDict(mutable=True)
    keep.update({name: value for name, value in (("zone", zone), ("sort", sort)) if value})
    return render(
        request,
        "roles/role_list.html",
        {
            "families": families,
            "all_families": all_families,
            "selected": by_slug[selected] if selected else None,
            "zones": zones,
            "zone": zone,
            "sort": sort,
            "sorts": list(ROLE_SORTS.items()),
            "keep": keep.urlencode(),
            "form": form,
            "query": query,
            "error": error,
            "page": page,
            "canonical_url": page.canonical_url,
            "breadcrumbs": [("Roles", reverse("roles:role_list"))],
            "role_count": page.paginator.count,
        },
        status=status,
    )


class DraftAwareDetailView(DetailView):
    """Drafts are found only by staff (through visible_to); they get the banner."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_draft"] = not self.object.published
        return context


# --- A profile's occupation data ---

# How much of each list a profile reads: enough to show, never the whole of a long one (an
# occupation may have hundreds of titles or technologies; the page says how many there are).
TASKS_LISTED, TASKS_SHOWN = 40, 8
TITLES_LISTED, TITLES_SHOWN = 100, 12
TECHNOLOGY_LISTED, TECHNOLOGY_SHOWN = 60, 12
RATINGS_SHOWN = 10  # skills and knowledge areas each, by importance; the rest a click away
RELATED_LISTED = 20

RELATED_TIERS = (  # (tier, heading) in the order a profile lists them
    (RelatednessTier.PRIMARY_SHORT, "Most closely related"),
    (RelatednessTier.PRIMARY_LONG, "Also closely related"),
    (RelatednessTier.SUPPLEMENTAL, "More distantly related"),
)


def _count(model, **filters) -> Coalesce:
    """How many rows of `model` a role has, as an annotation on the role's own query."""
    rows = (
        model.objects.filter(role=OuterRef("pk"), **filters)
        .order_by()
        .values("role")
        .annotate(n=Count("key" if model is RoleTitle else "pk", distinct=model is RoleTitle))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def _first(queryset, limit: int):
    """Filter for the first `limit` rows of `queryset` in its order: a part of a UNION cannot be
    sliced itself on SQLite, but it can keep only the rows a sliced subquery names."""
    return Q(pk__in=Subquery(queryset.values("pk")[:limit]))


def _row(kind: str, **columns):
    """One part of the profile's UNION: every part has the same columns in the same order."""
    decimal = DecimalField(max_digits=6, decimal_places=2)
    defaults = {
        "text": Value(""),
        "extra": Value(""),
        "extra2": Value(""),
        "number": Cast(Value(None), decimal),
        "level": Cast(Value(None), decimal),
        "ident": Cast(Value(None), IntegerField()),
        "ident2": Cast(Value(None), IntegerField()),
        "hot": Value(False),
        "in_demand": Value(False),
        "release": F("release"),
    }
    for name, expression in columns.items():
        defaults[name] = Cast(expression, decimal) if name in ("number", "level") else expression
    # Named apart from the models' own fields, which an annotation may not shadow.
    return {"row_kind": Value(kind), **{f"row_{name}": value for name, value in defaults.items()}}


@dataclass
class OccupationData:
    """What a profile shows from O*NET, read by one query (`occupation_data`)."""

    tasks: list[RoleTask] = field(default_factory=list)
    titles: list[RoleTitle] = field(default_factory=list)
    technologies: list[RoleTechnology] = field(default_factory=list)
    skills: list[RoleRating] = field(default_factory=list)
    knowledge: list[RoleRating] = field(default_factory=list)
    related: list[tuple[str, list[RelatedRole]]] = field(default_factory=list)
    releases: set[str] = field(default_factory=set)
    task_count: int = 0  # how many the role has, of which the lists above hold the first
    title_count: int = 0
    technology_count: int = 0

    @property
    def tasks_unread(self) -> int:
        return max(0, self.task_count - len(self.tasks))

    @property
    def titles_unread(self) -> int:
        return max(0, self.title_count - len(self.titles))

    @property
    def technologies_unread(self) -> int:
        return max(0, self.technology_count - len(self.technologies))

    @property
    def rating_groups(self):
        """(all, shown, rest, noun, caption id) for O*NET's skills, then its knowledge areas."""
        groups = [
            (self.skills, self.skills_shown, self.skills_more, "skills", "onet-skills-caption"),
            (
                self.knowledge,
                self.knowledge_shown,
                self.knowledge_more,
                "knowledge areas",
                "onet-knowledge-caption",
            ),
        ]
        return [group for group in groups if group[0]]

    # Each list: the first few in view, the rest (of what was read) behind a "show all".
    @property
    def tasks_shown(self):
        return self.tasks[:TASKS_SHOWN]

    @property
    def tasks_more(self):
        return self.tasks[TASKS_SHOWN:]

    @property
    def titles_shown(self):
        return self.titles[:TITLES_SHOWN]

    @property
    def titles_more(self):
        return self.titles[TITLES_SHOWN:]

    @property
    def technologies_shown(self):
        return self.technologies[:TECHNOLOGY_SHOWN]

    @property
    def technologies_more(self):
        return self.technologies[TECHNOLOGY_SHOWN:]

    @property
    def skills_shown(self):
        return self.skills[:RATINGS_SHOWN]

    @property
    def skills_more(self):
        return self.skills[RATINGS_SHOWN:]

    @property
    def knowledge_shown(self):
        return self.knowledge[:RATINGS_SHOWN]

    @property
    def knowledge_more(self):
        return self.knowledge[RATINGS_SHOWN:]


def _occupation_rows(role_id: int, previewer: bool):
    """The UNION behind occupation_data(): a role's tasks, titles, technology, ratings and
    related roles (only published ones unless `previewer`), each cut to what the page lists."""
    tasks = RoleTask.objects.filter(role_id=role_id).order_by()
    titles = RoleTitle.objects.filter(role_id=role_id).order_by()
    technology = RoleTechnology.objects.filter(role_id=role_id).order_by()
    visible = Role.objects.all() if previewer else Role.objects.published()
    related = RelatedRole.objects.filter(role_id=role_id, related__in=visible)
    core_first = Case(When(task_type=TaskType.CORE, then=Value(0)), default=Value(1))
    parts = [
        tasks.filter(
            _first(tasks.order_by(core_first, "position", "task_id"), TASKS_LISTED)
        ).values(
            **_row(
                "task",
                text=F("statement"),
                extra=F("task_type"),
                number=F("position"),
                ident=F("task_id"),
            )
        ),
        titles.filter(_first(titles.order_by("-kind", "title"), TITLES_LISTED)).values(
            **_row("title", text=F("title"), extra=F("kind"), extra2=F("short_title"))
        ),
        technology.filter(
            _first(technology.order_by("-hot", "-in_demand", "example"), TECHNOLOGY_LISTED)
        ).values(
            **_row(
                "technology",
                text=F("example"),
                extra=F("commodity_title"),
                hot=F("hot"),
                in_demand=F("in_demand"),
            )
        ),
        RoleRating.objects.filter(role_id=role_id)
        .order_by()
        .values(
            **_row(
                "rating",
                text=F("element__name"),
                extra=F("element__kind"),
                extra2=F("element__element_id"),
                number=F("importance"),
                level=F("level"),
                ident=F("element_id"),
            )
        ),
        related.order_by()
        .filter(_first(related.order_by("index"), RELATED_LISTED))
        .values(
            **_row(
                "related",
                text=F("related__name"),
                extra=F("related__slug"),
                extra2=F("tier"),
                number=F("index"),
                ident=F("related_id"),
            )
        ),
    ]
    # What the profile lists besides O*NET's data, in the same query: the guides into and out of
    # the role, its curated comparisons, and every role O*NET relates it to (for its moves).
    guides = Guide.objects.all() if previewer else Guide.objects.published()
    curated = Comparison.objects.all() if previewer else Comparison.objects.published()
    parts += [
        guides.filter(Q(from_role_id=role_id) | Q(to_role_id=role_id))
        .order_by()
        .values(
            **_row(
                "guide",
                text=F("slug"),
                extra=F("difficulty"),
                number=F("months_min"),
                level=F("months_max"),
                ident=F("from_role_id"),
                ident2=F("to_role_id"),
                release=Value(""),
            )
        ),
        curated.filter(Q(role_a_id=role_id) | Q(role_b_id=role_id))
        .order_by()
        .values(
            **_row(
                "comparison",
                text=F("title"),
                ident=F("role_a_id"),
                ident2=F("role_b_id"),
                release=Value(""),
            )
        ),
        RelatedRole.objects.filter(role_id=role_id)
        .order_by()
        .values(**_row("related_id", ident=F("related_id"), release=Value(""))),
    ]
    return parts[0].union(*parts[1:], all=True).order_by()


# Built and compiled once per process: see roles/prepared.py.
_OCCUPATION_ROWS = Prepared(_occupation_rows)


def profile_rows(role: Role, user) -> list[dict]:
    """The rows occupation_data() and _guides_and_comparisons() read, in one query."""
    return _OCCUPATION_ROWS.rows(role.pk, variant=is_previewer(user))


def occupation_data(role: Role, rows: list[dict]) -> OccupationData:
    """A role's tasks, titles, technology, ratings and related occupations from profile_rows()
    (one UNION query), each list cut to what the page can show, so the profile keeps its query
    budget whatever the role carries (tests/test_views_occupation_data.py). Related roles the
    reader may not see are left out."""
    data = OccupationData(
        task_count=role.task_count,
        title_count=role.title_count,
        technology_count=role.technology_count,
    )
    seen_titles = {title_key(role.name)}
    # Plain objects with the attributes the template reads, not model instances: a role's
    # couple of hundred rows took about 4 ms to build as models.
    for row in rows:
        kind = row["row_kind"]
        if kind in ("guide", "comparison", "related_id"):
            continue  # the profile's other lists (_guides_and_comparisons)
        data.releases.add(row["row_release"])
        if kind == "task":
            data.tasks.append(
                Row(
                    statement=row["row_text"],
                    task_type=row["row_extra"],
                    position=int(row["row_number"] or 0),
                    task_id=row["row_ident"],
                )
            )
        elif kind == "title" and title_key(row["row_text"]) not in seen_titles:
            seen_titles.add(title_key(row["row_text"]))
            data.titles.append(Row(title=row["row_text"], kind=row["row_extra"]))
        elif kind == "technology":
            data.technologies.append(
                Row(
                    example=row["row_text"],
                    commodity_title=row["row_extra"],
                    hot=row["row_hot"],
                    in_demand=row["row_in_demand"],
                )
            )
        elif kind == "rating":
            element = Row(
                pk=row["row_ident"],
                name=row["row_text"],
                kind=row["row_extra"],
                element_id=row["row_extra2"],
            )
            rating = Row(
                element=element,
                importance=row["row_number"],
                level=row["row_level"],
                rating=rating_of(row["row_number"]),
            )
            (data.skills if element.kind == ElementKind.SKILL else data.knowledge).append(rating)
        elif kind == "related":
            other = Role(pk=row["row_ident"], name=row["row_text"], slug=row["row_extra"])
            data.related.append(
                Row(
                    related=other,
                    tier=row["row_extra2"],
                    index=int(row["row_number"]),
                    comparison_slugs=comparison_slug([role.slug, other.slug]),
                )
            )
    data.tasks.sort(key=lambda t: (t.task_type != TaskType.CORE, t.position, t.task_id))
    data.titles.sort(key=lambda t: (t.kind != TitleKind.REPORTED, t.title.casefold()))
    data.technologies.sort(key=lambda t: (not t.hot, not t.in_demand, t.example.casefold()))
    for ratings in (data.skills, data.knowledge):
        ratings.sort(key=lambda r: (-r.importance, r.element.name))
    data.related.sort(key=lambda r: r.index)
    by_tier = {tier: [r for r in data.related if r.tier == tier] for tier, _ in RELATED_TIERS}
    data.related = [(heading, by_tier[tier]) for tier, heading in RELATED_TIERS if by_tier[tier]]
    return data


def _guides_and_comparisons(role: Role, rows: list[dict], by_pk: dict[int, Role]):
    """The guides into or out of `role` (by the other role's name), its curated comparisons
    ((title, slugs), by title) and the ids of the roles O*NET lists as related to it, from
    profile_rows(): the roles at either end come from `by_pk`, the picker's roles, which hold
    every role a visible guide, comparison or related role can name."""
    found_guides, found_comparisons, related_ids = [], [], set()
    for row in rows:
        kind, one, other = row["row_kind"], row["row_ident"], row["row_ident2"]
        if kind == "related_id":
            if one in by_pk:
                related_ids.add(one)
        elif kind not in ("guide", "comparison") or one not in by_pk or other not in by_pk:
            continue
        elif kind == "guide":
            found_guides.append(
                Guide(
                    slug=row["row_text"],
                    from_role=by_pk[one],
                    to_role=by_pk[other],
                    difficulty=row["row_extra"],
                    months_min=int(row["row_number"]),
                    months_max=int(row["row_level"]),
                )
            )
        else:
            slugs = comparison_slug([by_pk[one].slug, by_pk[other].slug])
            found_comparisons.append((row["row_text"], slugs))
    found_guides.sort(key=lambda guide: (guide.from_role.name, guide.to_role.name))
    return found_guides, sorted(found_comparisons), related_ids


def _profile_role(values: tuple, previewer: bool):
    """The role a profile shows (values: its slug), with its family, Job Zone, pay and counts."""
    roles = Role.objects.all() if previewer else Role.objects.published()
    return (
        roles.filter(slug=values[0])
        .select_related("family", "job_zone")
        .with_pay()
        .annotate(
            title_count=_count(RoleTitle),
            task_count=_count(RoleTask),
            technology_count=_count(RoleTechnology),
            rating_count=_count(RoleRating),
            related_count=_count(RelatedRole),
        )
    )


_PROFILE_ROLE = PreparedModels(_profile_role)
# The profile's values and skills (values: the role's id), as values_prefetch and skills_prefetch
# give them: those of the criteria and skills the reader may see, each with its criterion or skill.
_PROFILE_VALUES = PreparedModels(
    lambda values, previewer: visible_values(previewer).filter(role=values[0])
)
_PROFILE_SKILLS = PreparedModels(
    lambda values, previewer: visible_role_skills(previewer).filter(role=values[0])
)


class RoleDetailView(DraftAwareDetailView):
    """A role's profile: the editors' words first, then what O*NET says about the occupation.

    roles/role_detail.html gets `role` (with its Job Zone and counts: `title_count`,
    `task_count`, `technology_count`, `rating_count`, `related_count`), `criterion_values` and
    `role_skills` (its values and skills that the reader may see, with their criteria and
    skills), `occupation` (OccupationData, or None for a role without any), `onet_credit` (None
    unless the page shows O*NET data), `comparisons` ((title, url) of the curated comparisons
    involving it), `similar` ((role, comparison slug) in its family), `guides_from` and
    `guides_to`, `moves` (the best TOP_MOVES next moves, roles/moves.py) and `move_count` (all
    of them), `compare_form` with the role chosen, `pay` (a RolePay), `is_draft` and
    `breadcrumbs`.
    """

    model = Role

    def get_object(self, queryset=None):
        """The role with this slug that the reader may see: its SQL is built once per process
        (_PROFILE_ROLE), as is that of its values and skills (get_context_data)."""
        user = self.request.user
        found = _PROFILE_ROLE.objects((self.kwargs["slug"],), variant=is_previewer(user))
        if not found:
            raise Http404("No such role.")
        return found[0]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        role, user = self.object, self.request.user
        previewer = is_previewer(user)
        # The picker needs every visible role anyway (kept in memory for the public: see
        # roles/picker.py); the family's other roles are picked from them, a query fewer.
        roles = picker_roles(user)
        by_pk = {other.pk: other for other in roles}
        rows = profile_rows(role, user)
        guides, comparisons, related_ids = _guides_and_comparisons(role, rows, by_pk)
        same_family = islice(
            (other for other in roles if other.family_id == role.family_id and other != role),
            SIMILAR_ROLES,
        )
        has_occupation_data = role.job_zone_id or any(
            (
                role.title_count,
                role.task_count,
                role.technology_count,
                role.rating_count,
                role.related_count,
            )
        )
        occupation = occupation_data(role, rows) if has_occupation_data else None
        # The moves from this role, from the same rows: no query of their own.
        guide_to = {
            guide.to_role_id: guide.slug for guide in guides if guide.from_role_id == role.id
        }
        candidates = move_rows(roles, related_ids, guide_to)
        moves = moves_from(role, user, rows=candidates, best=TOP_MOVES)
        credit = None
        if occupation is not None:
            releases = set(occupation.releases)
            if role.job_zone:
                releases.add(role.job_zone.release)
            if role.source == Source.ONET:
                releases.add(role.release)
            credit = onet_credit(releases, shown=True)
        context.update(
            breadcrumbs=[
                ("Roles", reverse("roles:role_list")),
                (role.name, role.get_absolute_url()),
            ],
            comparisons=[
                (title, reverse("roles:comparison_detail", kwargs={"slugs": slugs}))
                for title, slugs in comparisons
            ],
            similar=[(other, comparison_slug([role.slug, other.slug])) for other in same_family],
            guides_from=[guide for guide in guides if guide.from_role_id == role.id],
            guides_to=[guide for guide in guides if guide.to_role_id == role.id],
            criterion_values=_PROFILE_VALUES.objects((role.pk,), variant=previewer),
            role_skills=_PROFILE_SKILLS.objects((role.pk,), variant=previewer),
            compare_form=CompareForm(roles=roles, initial={"a": role.slug}, submit_label="Compare"),
            occupation=occupation,
            moves=moves,
            move_count=sum(1 for row in candidates if row[0] != role.id),
            onet_credit=credit,
            pay=pay_for([role])[role.pk],
        )
        return context


# --- Comparisons ---


def _with_values(criteria, role_ids):
    """Each criterion with the value for it of the role whose id is `role_ids[i]`: its text,
    detail, source and release, as `value_<i>`, `detail_<i>`, `source_<i>` and `release_<i>`
    (None without a value), which roles/comparing.py comparison_rows reads. One LEFT JOIN per
    role (a role has at most one value per criterion), about half the cost of building a
    subquery per column."""
    joins = {
        f"value_of_{i}": FilteredRelation("role_values", condition=Q(role_values__role=role_id))
        for i, role_id in enumerate(role_ids)
    }
    columns = {
        f"{column}_{i}": F(f"value_of_{i}__{column}")
        for i in range(len(role_ids))
        for column in ("value", "detail", "source", "release")
    }
    return criteria.annotate(**joins).annotate(**columns)


def _faqs_and_references_rows(value: int, variant):
    """A curated comparison's published questions and references (`value`: its id), in one
    UNION query (a prefetch each would take a signed-in reader's page over its eight queries)."""
    faqs = FAQ.objects.published().filter(comparison=value).order_by()
    references = Reference.objects.published().filter(comparison=value).order_by()
    return faqs.values_list(Value("faq"), "pk", "question", "slug", "answer", "position").union(
        references.values_list(Value("reference"), "pk", "title", "url", Value(""), "position"),
        all=True,
    )


_FAQS_AND_REFERENCES = Prepared(_faqs_and_references_rows)


def _faqs_and_references(comparison: Comparison | None) -> tuple[list[FAQ], list[Reference]]:
    """A curated comparison's published questions and references, each in its order."""
    if comparison is None:
        return [], []
    found_faqs, found_references = [], []
    for row in _FAQS_AND_REFERENCES.rows(comparison.pk):
        kind, pk, title, slug_or_url, body, position = row.values()
        if kind == "faq":
            found_faqs.append(
                FAQ(pk=pk, question=title, slug=slug_or_url, answer=body, position=position)
            )
        else:
            found_references.append(
                Reference(pk=pk, title=title, url=slug_or_url, position=position)
            )
    found_faqs.sort(key=lambda faq: (faq.position, faq.question))
    found_references.sort(key=lambda reference: (reference.position, reference.title))
    return found_faqs, found_references


def _compare_error(request, message: str, heading: str = ""):
    """400: roles/compare_error.html gets the `message`, a `heading` (or its own) and a fresh
    `compare_form`."""
    return render(
        request,
        "roles/compare_error.html",
        {
            "message": message,
            "heading": heading,
            "compare_form": CompareForm(roles=picker_roles(request.user)),
        },
        status=400,
    )


@require_safe
def compare(request):
    """The picker. A submitted choice redirects to the comparison's one canonical URL; an invalid
    one answers 400 with roles/compare.html, which gets `compare_form` and `breadcrumbs`."""
    roles = picker_roles(request.user)
    submitted = any(name in request.GET for name in COMPARE_FIELDS)
    form = CompareForm(request.GET if submitted else None, roles=roles)
    if submitted and form.is_valid():
        return redirect("roles:comparison_detail", slugs=comparison_slug(form.slugs))
    return render(
        request,
        "roles/compare.html",
        {
            "compare_form": form,
            "breadcrumbs": [("Compare", reverse("roles:compare"))],
        },
        status=400 if submitted else 200,
    )


def _compared_roles(values: tuple, variant: tuple):
    """comparison_detail's roles (roles.prepared.PreparedModels builds it once per process):
    `values` are the requested slugs, then, for a signed-in reader, their id and the comparison's
    slug; `variant` is (previewer, signed in, limit)."""
    previewer, signed_in, limit = variant
    requested = list(values[:-2] if signed_in else values)
    roles = Role.objects.all() if previewer else Role.objects.published()
    return (
        roles.with_pay(only=Q(slug__in=requested))  # the compared roles' pay, not the others'
        .annotate(
            has_skill_ratings=_has_skill_ratings(requested),
            is_imported=Case(
                When(source=Source.ONET, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            imported_release=F("release"),
            # The reader's bookmark of this comparison, on every row: no query of its own.
            is_bookmarked=Exists(Bookmark.objects.filter(user=values[-2], comparison=values[-1]))
            if signed_in
            else Value(False),
        )
        .first_for(requested, limit)
    )


_COMPARED_ROLES = PreparedModels(_compared_roles)


def _nearby_comparisons(values: tuple, variant: tuple):
    """The comparisons of the compared roles (values: their ids), those between two of them
    first: the curated one and the related ones. `variant` is (previewer, limit)."""
    previewer, limit = variant
    comparisons = Comparison.objects.all() if previewer else Comparison.objects.published()
    return comparisons.near(values)[:limit]


_NEARBY_COMPARISONS = PreparedModels(_nearby_comparisons)


def _criteria_with_values(values: tuple, variant: tuple):
    """The criteria a comparison page shows, each with the compared roles' values (values: the
    roles' ids, then the curated comparison's id if there is one, for its sections). `variant`
    is (previewer, curated)."""
    previewer, curated = variant
    criteria = Criterion.objects.all() if previewer else Criterion.objects.published()
    role_ids = values[:-1] if curated else values
    return _with_values(criteria.with_narratives(values[-1] if curated else None), role_ids)


_CRITERIA_WITH_VALUES = PreparedModels(_criteria_with_values)


def _guides_among(values: tuple, previewer: bool):
    """The guides from one of the compared roles (values: their ids) to another."""
    return (Guide.objects.all() if previewer else Guide.objects.published()).among(values)


_GUIDES_AMONG = PreparedModels(_guides_among)


@require_safe
def comparison_detail(request, slugs: str):
    """Two to four roles side by side: the curated comparison where one exists, else generated.

    The URL lists role slugs joined by -vs-; any order other than alphabetical answers 301 to the
    canonical one, so each set of roles has exactly one address.

    roles/comparison_detail.html gets `roles` (sorted by slug, values and skills prefetched),
    `comparison` (the curated one, or None), `rows` (one per visible criterion some role has a
    value for, a cell per role), `hidden_criteria` (those no role has a value for), `overlap`
    (the skill overlap, on O*NET's skills when every role has ratings), `onet_credit` (None
    unless the page shows O*NET data), `guides` (between any two of the roles, either way),
    `related` (comparisons to try next), `pays` ((role, RolePay) per role, as the roles),
    `compare_form` (the picker, filled in with these roles),
    `title`, `is_bookmarked` (by this reader), `canonical_slugs`, `is_draft` and `breadcrumbs`.
    """
    requested = slugs.split("-vs-")
    if len(requested) > MAX_COMPARED_ROLES:
        return _compare_error(request, f"A comparison can show at most {MAX_COMPARED_ROLES} roles.")
    if len(set(requested)) != len(requested):
        return _compare_error(request, "Each role can appear only once in a comparison.")
    user = request.user
    previewer = is_previewer(user)
    # One query: the compared roles, then others of their families, up to one more than a
    # picker lists in a select. Fewer than that is the whole catalogue, and the picker is a select
    # of them all; more, and it is typed boxes that need only the compared roles. The query count
    # is the same at any size (tests/test_performance.py). Its SQL is built once per process.
    signed_in = user.is_authenticated
    values = (*requested, user.pk, comparison_slug(requested)) if signed_in else tuple(requested)
    head = _COMPARED_ROLES.objects(values, variant=(previewer, signed_in, PICKER_SELECT_MAX + 1))
    wanted = set(requested)
    roles = [role for role in head if role.slug in wanted]
    if len(roles) != len(requested):
        raise Http404("No such role.")
    if len(roles) < 2:
        return _compare_error(request, "Pick at least two different roles to compare.")
    canonical = comparison_slug(requested)
    if canonical != slugs:
        return HttpResponsePermanentRedirect(
            reverse("roles:comparison_detail", kwargs={"slugs": canonical})
        )
    others = sorted(head, key=lambda role: (role.name, role.slug))
    picker_roles = others if len(head) <= PICKER_SELECT_MAX else roles
    roles.sort(key=lambda role: role.slug)
    # One vocabulary for the skill overlap, so one query for it: O*NET's ratings when every
    # role has them, else the editors' skills (roles/comparing.py skill_overlap).
    onet_skills = all(role.has_skill_ratings for role in roles)
    prefetch_related_objects(roles, SKILL_RATINGS if onet_skills else skills_prefetch(user))

    role_ids = tuple(role.pk for role in roles)
    nearby = _NEARBY_COMPARISONS.objects(role_ids, variant=(previewer, RELATED_COMPARISONS + 1))
    comparison = next((c for c in nearby if c.slug == canonical), None)
    faqs, references = _faqs_and_references(comparison)
    # Each criterion comes with every role's value for it: no query of its own for the values.
    criteria = _CRITERIA_WITH_VALUES.objects(
        (*role_ids, comparison.pk) if comparison else role_ids,
        variant=(previewer, comparison is not None),
    )
    rows, hidden_criteria = split_rows(comparison_rows(roles, criteria))
    overlap = skill_overlap(roles)
    title = comparison.title if comparison else " vs ".join(role.name for role in roles)
    pays = pay_for(roles)
    return render(
        request,
        "roles/comparison_detail.html",
        {
            "roles": roles,
            "comparison": comparison,
            "rows": rows,
            "hidden_criteria": hidden_criteria,
            "faqs": faqs,
            "references": references,
            "overlap": overlap,
            "onet_credit": comparison_onet_credit(roles, rows, overlap),
            "pays": [(role, pays[role.pk]) for role in roles],
            "guides": _GUIDES_AMONG.objects(role_ids, variant=previewer),
            "related": related_comparisons(roles, nearby, others, RELATED_COMPARISONS),
            "compare_form": CompareForm(
                roles=picker_roles,
                catalogue_size=len(head),
                initial=dict(zip(COMPARE_FIELDS, [role.slug for role in roles], strict=False)),
                submit_label="Compare these roles",
                suggestions=False,
            ),
            "title": title,
            "is_bookmarked": roles[0].is_bookmarked,
            "canonical_slugs": canonical,
            "breadcrumbs": [("Compare", reverse("roles:compare")), (title, request.path)],
            "is_draft": bool(comparison and not comparison.published)
            or any(not role.published for role in roles),
        },
    )
