from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from roles.models import (
    FAQ,
    Comparison,
    Criterion,
    Role,
    RoleCriterionValue,
    TransitionPath,
    comparison_slug,
)

MAX_COMPARED_ROLES = 4


@require_safe
def healthz(request):
    """Liveness only: no database, no template, so it answers even when those are down."""
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def home(request):
    comparisons = (
        Comparison.objects.visible_to(request.user)
        .select_related("role_a", "role_b")
        .order_by("-published", "title")[:6]
    )
    paths = (
        TransitionPath.objects.visible_to(request.user)
        .select_related("from_role", "to_role")
        .order_by("-created_at")[:6]
    )
    return render(request, "roles/home.html", {"comparisons": comparisons, "paths": paths})


class DraftAwareDetailView(DetailView):
    """Drafts are found only by staff (through visible_to); they get the banner."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_draft"] = not self.object.published
        return context


class RoleDetailView(DraftAwareDetailView):
    model = Role

    def get_queryset(self):
        return Role.objects.visible_to(self.request.user).with_values()


class TransitionPathDetailView(DraftAwareDetailView):
    model = TransitionPath
    context_object_name = "path"

    def get_queryset(self):
        return (
            TransitionPath.objects.visible_to(self.request.user)
            .select_related("from_role", "to_role")
            .prefetch_related("steps", Prefetch("faqs", queryset=FAQ.objects.published()))
        )


class FAQDetailView(DraftAwareDetailView):
    model = FAQ
    context_object_name = "faq"

    def get_queryset(self):
        return FAQ.objects.published().select_related(
            "comparison__role_a", "comparison__role_b", "transition__from_role"
        )


# --- Comparisons ---


@dataclass
class ComparisonRow:
    criterion: Criterion
    cells: list[tuple[Role, RoleCriterionValue | None]]
    narrative: str


def _compare_error(request, message: str):
    return render(request, "roles/compare_error.html", {"message": message}, status=400)


@require_safe
def comparison_detail(request, slugs: str):
    """Two to four roles side by side: the curated comparison where one exists, else generated.

    The URL lists role slugs joined by -vs-; any order other than alphabetical answers 301 to the
    canonical one, so each set of roles has exactly one address.
    """
    requested = slugs.split("-vs-")
    if len(requested) > MAX_COMPARED_ROLES:
        return _compare_error(request, f"A comparison can show at most {MAX_COMPARED_ROLES} roles.")
    if len(set(requested)) != len(requested):
        return _compare_error(request, "Each role can appear only once in a comparison.")
    roles = list(Role.objects.visible_to(request.user).filter(slug__in=requested).with_values())
    if len(roles) != len(requested):
        raise Http404("No such role.")
    if len(roles) < 2:
        return _compare_error(request, "Pick at least two different roles to compare.")
    canonical = comparison_slug(requested)
    if canonical != slugs:
        return HttpResponsePermanentRedirect(
            reverse("roles:comparison_detail", kwargs={"slugs": canonical})
        )
    roles.sort(key=lambda role: role.slug)

    comparison = None
    if len(roles) == 2:
        comparison = Comparison.objects.visible_to(request.user).for_pair(*roles).for_page().first()
    narratives = {s.criterion_id: s.body for s in comparison.sections.all()} if comparison else {}
    values = {
        (value.role_id, value.criterion_id): value
        for role in roles
        for value in role.criterion_values.all()
    }
    rows = [
        ComparisonRow(
            criterion=criterion,
            cells=[(role, values.get((role.id, criterion.id))) for role in roles],
            narrative=narratives.get(criterion.id, ""),
        )
        for criterion in Criterion.objects.all()
    ]
    title = comparison.title if comparison else " vs ".join(role.name for role in roles)
    return render(
        request,
        "roles/comparison_detail.html",
        {
            "roles": roles,
            "comparison": comparison,
            "rows": rows,
            "title": title,
            "is_draft": bool(comparison and not comparison.published)
            or any(not role.published for role in roles),
        },
    )
