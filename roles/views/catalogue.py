"""Home, the role catalogue and profiles, the compare picker and comparisons."""

from itertools import groupby, islice
from operator import attrgetter

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from roles.comparing import comparison_rows, related_comparisons, skill_overlap
from roles.forms import COMPARE_FIELDS, PICKER_SELECT_MAX, CompareForm, RoleListForm
from roles.models import (
    FAQ,
    Comparison,
    Criterion,
    Family,
    Guide,
    Reference,
    Role,
    RoleTitle,
    comparison_slug,
    skills_prefetch,
    title_key,
    values_prefetch,
)
from roles.pagination import paginate

MAX_COMPARED_ROLES = 4
SIMILAR_ROLES = 8  # same-family comparisons offered on a profile
RELATED_COMPARISONS = 6  # offered at the end of a comparison
ROLES_PER_PAGE = 60


def families_of(roles: list[Role]) -> list[tuple[Family, list[Role]]]:
    """Roles grouped by family (selected with them), families in their order, roles by name."""
    ordered = sorted(
        roles, key=lambda role: (role.family.position, role.family.name, role.family_id, role.name)
    )
    return [(family, list(group)) for family, group in groupby(ordered, attrgetter("family"))]


@require_safe
def home(request):
    """The front page. roles/home.html gets `comparisons` (up to six, published first), `guides`
    (the six newest), `families` (visible roles grouped by family) and `compare_form`."""
    roles = list(Role.objects.visible_to(request.user).for_picker())
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
        },
    )


# --- Roles ---


@require_safe
def role_list(request):
    """Roles grouped under family headings, a page at a time; the filter counts come from one
    aggregate query, so neither depends on loading every role.

    roles/role_list.html gets `families` (this page's roles as (Family, roles)), `all_families`
    ((Family, count) for the filter), `selected` (a Family or None), `form` (find a role in
    the list, ?q=), `query`, `error`, `page`, `role_count`, `canonical_url` and `breadcrumbs`.
    An unknown family answers 400 with every role; text too long to look for, 400 with the list.
    """
    visible = Role.objects.visible_to(request.user)
    form = RoleListForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    # Every family with its count of visible roles, in one query.
    by_slug = {family.slug: family for family in Family.objects.with_role_counts(visible)}
    all_families = [(family, family.role_count) for family in by_slug.values() if family.role_count]
    selected = request.GET.get("family", "")
    status = 200
    error = ""
    if selected and selected not in by_slug:
        status, error = 400, "There is no role family by that name. Showing every role."
        selected = ""
    if not form.is_valid():
        status, error = 400, " ".join(form.errors.get("q", ["That cannot be looked for."]))
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
    page = paginate(
        request,
        visible.for_picker().by_family(),
        ROLES_PER_PAGE,
        params={"family": selected, "q": query},
        count=count,
    )
    families = [
        (by_slug[key], list(group)) for key, group in groupby(page, key=attrgetter("family_id"))
    ]
    return render(
        request,
        "roles/role_list.html",
        {
            "families": families,
            "all_families": all_families,
            "selected": by_slug[selected] if selected else None,
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


class RoleDetailView(DraftAwareDetailView):
    """A role's profile. roles/role_detail.html gets `role` (with its visible values and skills
    prefetched), `comparisons` involving it, `similar` ((role, comparison slug) in its family),
    `guides_from` and `guides_to`, `compare_form` with the role chosen, `is_draft`, `breadcrumbs`.
    """

    model = Role

    def get_queryset(self):
        user = self.request.user
        return (
            Role.objects.visible_to(user)
            .select_related("family")
            .with_values(user)
            .with_skills(user)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        role, user = self.object, self.request.user
        picker_roles = list(Role.objects.visible_to(user).for_picker())
        guides = list(Guide.objects.visible_to(user).involving(role))
        # The picker needs every visible role anyway; a query of its own for these would be a
        # ninth for a signed-in reader (tests/test_performance.py allows eight).
        same_family = islice(
            (
                other
                for other in picker_roles
                if other.family_id == role.family_id and other != role
            ),
            SIMILAR_ROLES,
        )
        context.update(
            breadcrumbs=[
                ("Roles", reverse("roles:role_list")),
                (role.name, role.get_absolute_url()),
            ],
            comparisons=Comparison.objects.visible_to(user).involving(role).order_by("title"),
            similar=[(other, comparison_slug([role.slug, other.slug])) for other in same_family],
            guides_from=[guide for guide in guides if guide.from_role_id == role.id],
            guides_to=[guide for guide in guides if guide.to_role_id == role.id],
            compare_form=CompareForm(
                roles=picker_roles, initial={"a": role.slug}, submit_label="Compare"
            ),
        )
        return context


# --- Comparisons ---


def _compare_error(request, message: str, roles=None):
    """400: roles/compare_error.html gets the `message` and a fresh `compare_form`."""
    picker_roles = roles if roles is not None else Role.objects.visible_to(request.user)
    return render(
        request,
        "roles/compare_error.html",
        {"message": message, "compare_form": CompareForm(roles=list(picker_roles.for_picker()))},
        status=400,
    )


@require_safe
def compare(request):
    """The picker. A submitted choice redirects to the comparison's one canonical URL; an invalid
    one answers 400 with roles/compare.html, which gets `compare_form` and `breadcrumbs`."""
    roles = list(Role.objects.visible_to(request.user).for_picker())
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


@require_safe
def comparison_detail(request, slugs: str):
    """Two to four roles side by side: the curated comparison where one exists, else generated.

    The URL lists role slugs joined by -vs-; any order other than alphabetical answers 301 to the
    canonical one, so each set of roles has exactly one address.

    roles/comparison_detail.html gets `roles` (sorted by slug, values and skills prefetched),
    `comparison` (the curated one, or None), `rows` (one per visible criterion, a cell per role),
    `overlap` (the skill overlap), `guides` (between any two of the roles, either way),
    `related` (comparisons to try next), `compare_form` (the picker, filled in with these roles),
    `title`, `is_draft` and `breadcrumbs`.
    """
    requested = slugs.split("-vs-")
    visible = Role.objects.visible_to(request.user)
    if len(requested) > MAX_COMPARED_ROLES:
        return _compare_error(
            request, f"A comparison can show at most {MAX_COMPARED_ROLES} roles.", visible
        )
    if len(set(requested)) != len(requested):
        return _compare_error(request, "Each role can appear only once in a comparison.", visible)
    user = request.user
    # One query: the compared roles, then others of their families, up to one more than a
    # picker lists in a select. Fewer than that is the whole catalogue, and the picker is a select
    # of them all; more, and it is typed boxes that need only the compared roles. The query count
    # is the same at any size (tests/test_performance.py).
    head = list(visible.first_for(requested, PICKER_SELECT_MAX + 1))
    wanted = set(requested)
    roles = [role for role in head if role.slug in wanted]
    if len(roles) != len(requested):
        raise Http404("No such role.")
    if len(roles) < 2:
        return _compare_error(request, "Pick at least two different roles to compare.", visible)
    canonical = comparison_slug(requested)
    if canonical != slugs:
        return HttpResponsePermanentRedirect(
            reverse("roles:comparison_detail", kwargs={"slugs": canonical})
        )
    others = sorted(head, key=lambda role: (role.name, role.slug))
    picker_roles = others if len(head) <= PICKER_SELECT_MAX else roles
    roles.sort(key=lambda role: role.slug)
    prefetch_related_objects(roles, values_prefetch(user), skills_prefetch(user))

    nearby = list(Comparison.objects.visible_to(user).near(roles)[: RELATED_COMPARISONS + 1])
    comparison = next((c for c in nearby if c.slug == canonical), None)
    if comparison:
        prefetch_related_objects(
            [comparison],
            Prefetch("faqs", queryset=FAQ.objects.published()),
            Prefetch("references", queryset=Reference.objects.published()),
        )
    criteria = Criterion.objects.visible_to(user).with_narratives(comparison)
    title = comparison.title if comparison else " vs ".join(role.name for role in roles)
    return render(
        request,
        "roles/comparison_detail.html",
        {
            "roles": roles,
            "comparison": comparison,
            "rows": comparison_rows(roles, list(criteria)),
            "overlap": skill_overlap(roles),
            "guides": list(Guide.objects.visible_to(user).among(roles)),
            "related": related_comparisons(roles, nearby, others, RELATED_COMPARISONS),
            "compare_form": CompareForm(
                roles=picker_roles,
                catalogue_size=len(head),
                initial=dict(zip(COMPARE_FIELDS, [role.slug for role in roles], strict=False)),
                submit_label="Compare these roles",
                suggestions=False,
            ),
            "title": title,
            "breadcrumbs": [("Compare", reverse("roles:compare")), (title, request.path)],
            "is_draft": bool(comparison and not comparison.published)
            or any(not role.published for role in roles),
        },
    )
