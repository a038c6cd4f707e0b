"""Transition guides, and what a signed-in reader keeps on them: bookmarks and step progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Prefetch, Window
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from roles import services
from roles.comparing import transition_skills
from roles.forms import BookmarkForm, PathFilterForm, StepProgressForm
from roles.models import (
    FAQ,
    Bookmark,
    Reference,
    Role,
    RoleSkill,
    TransitionPath,
    TransitionStep,
    comparison_slug,
)
from roles.pagination import paginate
from roles.views.accounts import safe_next

PATHS_PER_PAGE = 50
MATRIX_MAX = 12  # roles down and across: a larger grid is a wall of "No guide yet"


@require_safe
def path_list(request):
    """Guides a page at a time, filterable by GET, and a from-by-to grid of them while it is small
    enough to read (at most MATRIX_MAX roles each way)."""
    user = request.user
    roles = list(Role.objects.visible_to(user).for_picker())
    submitted = "from" in request.GET or "to" in request.GET
    form = PathFilterForm(request.GET if submitted else None, roles=roles)
    chosen = form.cleaned_data if submitted and form.is_valid() else {}
    by_slug = {role.slug: role for role in roles}
    from_role, to_role = by_slug.get(chosen.get("from")), by_slug.get(chosen.get("to"))
    matching = TransitionPath.objects.visible_to(user)
    if from_role:
        matching = matching.filter(from_role=from_role)
    if to_role:
        matching = matching.filter(to_role=to_role)

    matrix, columns, count = _matrix(matching, roles, from_role, to_role)
    page = paginate(
        request,
        matching.select_related("from_role", "to_role")
        .annotate(step_count=Count("steps"))
        .order_by("from_role__name", "to_role__name", "pk"),
        PATHS_PER_PAGE,
        params={"from": chosen.get("from"), "to": chosen.get("to")},
        count=count,
    )
    return render(
        request,
        "roles/transitionpath_list.html",
        {
            "paths": page,
            "page": page,
            "canonical_url": page.canonical_url,
            "matrix": matrix,
            "columns": columns,
            "matrix_max": MATRIX_MAX,
            "filter_form": form,
            "from_role": from_role,
            "to_role": to_role,
            "breadcrumbs": [("Transition guides", reverse("roles:path_list"))],
        },
        status=400 if submitted and not form.is_valid() else 200,
    )


def _matrix(matching, roles: list[Role], from_role, to_role):
    """(rows of cells, columns, count of guides); rows are None when the grid would be too big.

    n distinct (from, to) pairs need at least n cells, so fetching one guide more than the largest
    grid holds is enough to tell, however many guides there are. Each row also carries the total,
    which spares the paginator its COUNT query.
    """
    limit = MATRIX_MAX * MATRIX_MAX
    paths = list(
        matching.only("slug", "from_role", "to_role", "difficulty", "months_min", "months_max")
        .annotate(total=Window(Count("pk")))
        .order_by()[: limit + 1]
    )
    count = paths[0].total if paths else 0
    by_id = {role.id: role for role in roles}
    rows = [from_role] if from_role else _unique([by_id[p.from_role_id] for p in paths])
    columns = [to_role] if to_role else _unique([by_id[p.to_role_id] for p in paths])
    if len(paths) > limit or len(rows) > MATRIX_MAX or len(columns) > MATRIX_MAX:
        return None, [], count
    cells = {(p.from_role_id, p.to_role_id): p for p in paths}
    matrix = [(row, [(col, cells.get((row.id, col.id))) for col in columns]) for row in rows]
    return matrix, columns, count


def _unique(roles: list[Role]) -> list[Role]:
    return sorted({role.id: role for role in roles}.values(), key=lambda role: role.name)


@require_safe
def path_detail(request, slug: str):
    user = request.user
    path = get_object_or_404(
        TransitionPath.objects.visible_to(user)
        .select_related("from_role", "to_role")
        .with_bookmark_for(user)
        .prefetch_related(
            Prefetch("steps", queryset=TransitionStep.objects.with_progress_for(user)),
            Prefetch("faqs", queryset=FAQ.objects.published()),
            Prefetch("references", queryset=Reference.objects.published()),
        ),
        slug=slug,
    )
    steps = list(path.steps.all())
    role_skills = list(
        RoleSkill.objects.filter(
            role__in=[path.from_role_id, path.to_role_id], skill__published=True
        ).select_related("skill")
    )
    skills = transition_skills(
        [rs for rs in role_skills if rs.role_id == path.from_role_id],
        [rs for rs in role_skills if rs.role_id == path.to_role_id],
    )
    return render(
        request,
        "roles/transitionpath_detail.html",
        {
            "path": path,
            "steps": steps,
            "done_count": sum(step.is_done for step in steps),
            "skills": skills,
            "comparison_slugs": comparison_slug([path.from_role.slug, path.to_role.slug]),
            "breadcrumbs": [
                ("Transition guides", reverse("roles:path_list")),
                (f"From {path.from_role.name} to {path.to_role.name}", path.get_absolute_url()),
            ],
            "is_draft": not path.published,
        },
    )


def _invalid_action(request):
    return render(request, "400.html", status=400)


@require_POST
def bookmark_toggle(request, slug: str):
    path = get_object_or_404(TransitionPath.objects.visible_to(request.user), slug=slug)
    if not request.user.is_authenticated:
        messages.info(request, "Sign in to bookmark this guide; you will come back to it.")
        return redirect_to_login(path.get_absolute_url())
    form = BookmarkForm(request.POST)
    if not form.is_valid():
        return _invalid_action(request)
    bookmarked = services.bookmark_toggle(
        user=request.user, path=path, bookmarked=form.cleaned_data["bookmarked"]
    )
    messages.success(
        request,
        f"Bookmarked “{path}”." if bookmarked else f"Removed “{path}” from your bookmarks.",
    )
    return redirect(safe_next(request, default=path.get_absolute_url()))


@require_POST
def step_progress(request, slug: str, position: int):
    path = get_object_or_404(TransitionPath.objects.visible_to(request.user), slug=slug)
    step = get_object_or_404(TransitionStep, path=path, position=position)
    anchor = f"{path.get_absolute_url()}#step-{step.position}"
    if not request.user.is_authenticated:
        messages.info(request, "Sign in to keep track of your progress; you will come back here.")
        return redirect_to_login(anchor)
    form = StepProgressForm(request.POST)
    if not form.is_valid():
        return _invalid_action(request)
    services.step_progress_toggle(
        user=request.user, step=step, completed=form.cleaned_data["completed"]
    )
    return redirect(safe_next(request, default=anchor))


@login_required
@require_safe
def bookmark_list(request):
    bookmarks = Bookmark.objects.for_list(request.user)
    crumbs = [("My bookmarks", reverse("roles:bookmark_list"))]
    return render(
        request, "roles/bookmark_list.html", {"bookmarks": bookmarks, "breadcrumbs": crumbs}
    )
